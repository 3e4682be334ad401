package dev.candor.internal.upload;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

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
 */
class CollectorConnection implements Closeable {
    /** The longest sleep between two polls: small next to the exit budget, large next to a CPU slice. */
    private static final long LONGEST_PAUSE_MILLIS = 8;

    final SocketChannel channel;

    /** Plain HTTP over {@code channel}: the bytes go as they are ({@link TlsCollectorConnection} encrypts them). */
    CollectorConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to {@code host:port} by the deadline ({@code System.nanoTime()} based), or throws. */
    static SocketChannel connect(String host, int port, long deadlineNanos) throws IOException {
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
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends all of {@code bytes} by the deadline, or throws. */
    void write(ByteBuffer bytes, long deadlineNanos) throws IOException {
        writeRaw(bytes, deadlineNanos);
    }

    /**
     * Reads at least one byte into {@code into} by the deadline; returns how many, or -1 at the
     * end of the stream. Throws {@link SocketTimeoutException} at the deadline.
     */
    int read(ByteBuffer into, long deadlineNanos) throws IOException {
        return readRaw(into, deadlineNanos);
    }

    /** Writes raw bytes to the channel, polling while the socket buffer is full. */
    final void writeRaw(ByteBuffer bytes, long deadlineNanos) throws IOException {
        long pause = 1;
        while (bytes.hasRemaining()) {
            pause = channel.write(bytes) == 0 ? pause(pause, deadlineNanos, "send to the collector") : 1;
        }
    }

    /** Reads raw bytes from the channel, polling until some arrive; -1 at the end of the stream. */
    final int readRaw(ByteBuffer into, long deadlineNanos) throws IOException {
        long pause = 1;
        while (true) {
            int n = channel.read(into);
            if (n != 0) {
                return n;
            }
            pause = pause(pause, deadlineNanos, "answer from the collector");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
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
}
