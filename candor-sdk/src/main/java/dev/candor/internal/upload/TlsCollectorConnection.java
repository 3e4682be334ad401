package dev.candor.internal.upload;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * HTTPS over a polled {@link CollectorConnection}: TLS is done by an {@link SSLEngine}, which is
 * plain Java code, so the thread still never waits inside native code. The collector's
 * certificate is checked against the JDK's trust store and its host name (endpoint
 * identification {@code HTTPS}), exactly as {@code HttpsURLConnection} would.
 */
final class TlsCollectorConnection extends CollectorConnection {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    /** Bytes received from the network and not yet decrypted; kept in read mode (flipped). */
    private ByteBuffer fromNetwork;
    /** Decrypted bytes not yet handed out; kept in read mode (flipped). */
    private ByteBuffer decrypted;
    private ByteBuffer toNetwork;
    private boolean closedByPeer;

    private TlsCollectorConnection(SocketChannel channel, SSLEngine engine) {
        super(channel);
        this.engine = engine;
        this.fromNetwork = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.fromNetwork.flip();
        this.decrypted = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.decrypted.flip();
        this.toNetwork = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    /** Opens TLS to {@code host:port} over {@code channel} and completes the handshake by the deadline. */
    static TlsCollectorConnection handshake(SocketChannel channel, String host, int port, SSLContext context,
                                            long deadlineNanos) throws IOException {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        TlsCollectorConnection connection = new TlsCollectorConnection(channel, engine);
        engine.beginHandshake();
        connection.finishHandshake(deadlineNanos);
        return connection;
    }

    // Enum switches are written as ifs in this class: javac compiles each switch on an enum to one more class.

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

    @Override
    void write(ByteBuffer bytes, long deadlineNanos) throws IOException {
        while (bytes.hasRemaining()) {
            wrap(bytes, deadlineNanos);
            if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
                finishHandshake(deadlineNanos);
            }
        }
    }

    @Override
    int read(ByteBuffer into, long deadlineNanos) throws IOException {
        while (!decrypted.hasRemaining()) {
            if (closedByPeer) {
                return -1;
            }
            if (unwrap(deadlineNanos) < 0) {
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
