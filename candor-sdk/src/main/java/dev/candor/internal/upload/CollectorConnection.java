package dev.candor.internal.upload;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A connection to the collector that never keeps its thread inside native code for more than an
 * instant: a non-blocking {@link SocketChannel} that is polled, with short sleeps in between,
 * until a deadline.
 *
 * <p>Why not a blocking socket (as {@code HttpURLConnection} and {@code HttpClient} use): when a
 * JVM exits, HotSpot waits up to 300 ms for every thread that is inside native code, daemon or
 * not, and a thread blocked in a socket read or connect is inside native code. Measured on JDK 17
 * with a collector that accepts and never answers: both JDK clients delay the exit by 330 to 700
 * ms. A sleeping thread does not count, so polling keeps the exit promise (50 ms). The one
 * native call left that can block is the host-name lookup of the endpoint, which the JDK caches.
 *
 * <p>HTTPS is done by an {@link SSLEngine}, which is plain Java code, so the thread still never waits
 * inside native code. The collector's certificate is checked against the trust store and its host name
 * (endpoint identification {@code HTTPS}), exactly as {@code HttpsURLConnection} would.
 */
final class CollectorConnection implements Closeable {
    /** The longest sleep between two polls: small next to the exit budget, large next to a CPU slice. */
    private static final long LONGEST_PAUSE_MILLIS = 8;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    /** The TLS engine, or null for plain HTTP (the bytes then go as they are). */
    private final SSLEngine engine;
    /** TLS: bytes received from the network and not yet decrypted; kept in read mode (flipped). */
    private ByteBuffer fromNetwork;
    /** TLS: decrypted bytes not yet handed out; kept in read mode (flipped). */
    private ByteBuffer decrypted;
    private ByteBuffer toNetwork;
    private boolean closedByPeer;

    private CollectorConnection(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        if (engine != null) {
            this.fromNetwork = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            this.fromNetwork.flip();
            this.decrypted = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            this.decrypted.flip();
            this.toNetwork = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        }
    }

    /**
     * Connects to {@code host:port} by the deadline ({@code System.nanoTime()} based), or throws; with
     * {@code tls} not null, over TLS, its handshake completed by the same deadline.
     */
    static CollectorConnection open(String host, int port, SSLContext tls, long deadlineNanos) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            if (!channel.connect(new InetSocketAddress(address, port))) {
                long pause = 1;
                while (!channel.finishConnect()) {
                    pause = pause(pause, deadlineNanos, "connect to " + host + ":" + port);
                }
            }
            if (tls == null) {
                return new CollectorConnection(channel, null);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        try {
            SSLEngine engine = tls.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            CollectorConnection connection = new CollectorConnection(channel, engine);
            engine.beginHandshake();
            connection.finishHandshake(deadlineNanos);
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException ? (IOException) e : new SSLException(e.toString(), e);
        }
    }

    /** Sends all of {@code bytes} by the deadline, or throws. */
    void write(ByteBuffer bytes, long deadlineNanos) throws IOException {
        if (engine == null) {
            writeRaw(bytes, deadlineNanos);
            return;
        }
        while (bytes.hasRemaining()) {
            wrap(bytes, deadlineNanos);
            if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
                finishHandshake(deadlineNanos);
            }
        }
    }

    /**
     * Reads at least one byte into {@code into} by the deadline; returns how many, or -1 at the
     * end of the stream. Throws {@link SocketTimeoutException} at the deadline.
     */
    int read(ByteBuffer into, long deadlineNanos) throws IOException {
        if (engine == null) {
            return readRaw(into, deadlineNanos);
        }
        while (!decrypted.hasRemaining()) {
            if (closedByPeer || unwrap(deadlineNanos) < 0) {
                return -1;
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (!closedByPeer && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                finishHandshake(deadlineNanos);
            }
        }
        int n = Math.min(into.remaining(), decrypted.remaining());
        ByteBuffer slice = decrypted.duplicate();
        slice.limit(slice.position() + n);
        into.put(slice);
        decrypted.position(decrypted.position() + n);
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Writes raw bytes to the channel, polling while the socket buffer is full. */
    private void writeRaw(ByteBuffer bytes, long deadlineNanos) throws IOException {
        long pause = 1;
        while (bytes.hasRemaining()) {
            pause = channel.write(bytes) == 0 ? pause(pause, deadlineNanos, "send to the collector") : 1;
        }
    }

    /** Reads raw bytes from the channel, polling until some arrive; -1 at the end of the stream. */
    private int readRaw(ByteBuffer into, long deadlineNanos) throws IOException {
        long pause = 1;
        while (true) {
            int n = channel.read(into);
            if (n != 0) {
                return n;
            }
            pause = pause(pause, deadlineNanos, "answer from the collector");
        }
    }

    /**
     * Waits {@code millis} between two polls (less if the deadline comes first) and returns the next
     * pause: 1 ms, then doubling up to {@value #LONGEST_PAUSE_MILLIS} ms. Throws at the deadline.
     */
    private static long pause(long millis, long deadlineNanos, String what) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no " + what + " in time");
        }
        try {
            Thread.sleep(Math.max(1, Math.min(millis, remaining / 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the " + what);
        }
        return Math.min(LONGEST_PAUSE_MILLIS, millis * 2);
    }

    // TLS. Enum switches are written as ifs: javac compiles each switch on an enum to one more class.

    private void finishHandshake(long deadlineNanos) throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_WRAP) {
                wrap(NOTHING, deadlineNanos);
            } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                if (unwrap(deadlineNanos) < 0) {
                    throw new EOFException("the collector closed the connection during the TLS handshake");
                }
            } else if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else {
                return;
            }
        }
    }

    /** Encrypts (some of) {@code source}, or a handshake message, and sends the result. */
    private void wrap(ByteBuffer source, long deadlineNanos) throws IOException {
        while (true) {
            toNetwork.clear();
            Status status = engine.wrap(source, toNetwork).getStatus();
            if (status == Status.OK) {
                toNetwork.flip();
                writeRaw(toNetwork, deadlineNanos);
                return;
            }
            if (status != Status.BUFFER_OVERFLOW) {
                throw new SSLException(status == Status.CLOSED ? "the TLS session was closed while sending"
                        : "unexpected TLS state while sending: " + status);
            }
            toNetwork = ByteBuffer.allocate(toNetwork.capacity() * 2);
        }
    }

    /**
     * Decrypts one TLS record, reading from the network as needed. Returns the number of
     * application bytes now available, or -1 at the end of the stream.
     */
    private int unwrap(long deadlineNanos) throws IOException {
        while (true) {
            decrypted.compact();
            Status status;
            try {
                status = engine.unwrap(fromNetwork, decrypted).getStatus();
            } finally {
                decrypted.flip();
            }
            if (status == Status.OK) {
                return decrypted.remaining();
            } else if (status == Status.CLOSED) {
                closedByPeer = true;
                return decrypted.hasRemaining() ? decrypted.remaining() : -1;
            } else if (status == Status.BUFFER_OVERFLOW) {
                ByteBuffer roomier = ByteBuffer.allocate(decrypted.capacity() * 2);
                roomier.put(decrypted).flip();
                decrypted = roomier;
            } else if (status == Status.BUFFER_UNDERFLOW) {
                if (fromNetwork.limit() == fromNetwork.capacity() && fromNetwork.position() == 0) {
                    ByteBuffer larger = ByteBuffer.allocate(fromNetwork.capacity() * 2);
                    larger.put(fromNetwork).flip();
                    fromNetwork = larger;
                }
                fromNetwork.compact();
                int n;
                try {
                    n = readRaw(fromNetwork, deadlineNanos);
                } finally {
                    fromNetwork.flip();
                }
                if (n < 0) {
                    return -1;
                }
            } else {
                throw new SSLException("unexpected TLS state while receiving: " + status);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
