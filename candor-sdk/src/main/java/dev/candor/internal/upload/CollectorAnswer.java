package dev.candor.internal.upload;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One POST of a report to the collector ({@link #post}), and what the collector did with it: an HTTP
 * status (with its {@code Retry-After} and the start of a problem description), or no answer at all and
 * why. The uploader's decision (sent, kept, dropped) is a pure function of the answer.
 *
 * <p>The POST is one HTTP/1.1 request over a fresh connection ({@code Connection: close}),
 * gzip-compressed JSON, a fixed user agent ({@value Uploader#USER_AGENT}), no cookies, no redirects
 * followed, no proxy. Only the status line, {@code Retry-After} and the start of an error body are
 * read back.
 *
 * <p>Why its own small HTTP client instead of {@code HttpURLConnection} or
 * {@code java.net.http.HttpClient}: both block their thread inside native socket calls, and when a JVM
 * exits, HotSpot waits up to 300 ms for every thread that is inside native code, daemon or not;
 * measured on JDK 17 against a collector that accepts and never answers, they delayed exit by 330 to
 * 700 ms, against a budget of 50 ms. They also cost more at first use (measured on JDK 17: about 440
 * classes for a first {@code HttpURLConnection} POST, about 1,700 for {@code HttpClient}, which would
 * also need {@code requires java.net.http}); and {@code HttpURLConnection} would consult a
 * process-wide {@link java.net.CookieHandler} the host may have installed. This class is loaded only
 * when there is a report to send.
 *
 * <p>An instance is one such exchange: while {@link #post} lasts it also holds the connection, a
 * non-blocking {@link SocketChannel} polled with short sleeps until a deadline, so that its thread is
 * never inside native code for more than an instant (a sleeping thread does not hold up an exit). The
 * one native call left that can block is the host-name lookup of the endpoint, which the JDK caches.
 * HTTPS is done by an {@link SSLEngine}, plain Java code, so the thread still never waits inside
 * native code; the collector's certificate is checked against the trust store and its host name
 * (endpoint identification {@code HTTPS}), exactly as {@code HttpsURLConnection} would.
 */
final class CollectorAnswer {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_DETAIL_BYTES = 300;
    /** How long to linger for an error body after the status line arrived. */
    private static final long DETAIL_WAIT_NANOS = 200_000_000L;

    /** The longest sleep between two polls: small next to the exit budget, large next to a CPU slice. */
    private static final long LONGEST_PAUSE_MILLIS = 8;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    /** The status of an answer that never came (refused, timed out, not HTTP). */
    static final int NO_ANSWER = -1;

    // The answer: set when the exchange ends, never changed after post returns it.
    private int status;
    private long retryAfterMillis;
    private String detail;

    // The connection, while post lasts.
    private SocketChannel channel;
    /** The TLS engine, or null for plain HTTP (the bytes then go as they are). */
    private SSLEngine engine;
    /** TLS: bytes received from the network and not yet decrypted; kept in read mode (flipped). */
    private ByteBuffer fromNetwork;
    /** TLS: decrypted bytes not yet handed out; kept in read mode (flipped). */
    private ByteBuffer decrypted;
    private ByteBuffer toNetwork;
    private boolean closedByPeer;

    private CollectorAnswer(int status, long retryAfterMillis, String detail) {
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
        this.detail = detail;
    }

    static CollectorAnswer noAnswer(String why) {
        return new CollectorAnswer(NO_ANSWER, -1, why);
    }

    int status() {
        return status;
    }

    boolean accepted() {
        return status >= 200 && status < 300;
    }

    /**
     * Whether trying again later may succeed: no answer, 5xx, 429 (rate-limited) and 408 (the
     * collector timed out reading; the report itself is fine). Any other 4xx is final.
     */
    boolean worthRetrying() {
        return status == NO_ANSWER || status >= 500 || status == 429 || status == 408;
    }

    /** Whether the collector will never take this report: a 4xx other than 408 and 429. */
    boolean rejected() {
        return status >= 400 && status < 500 && !worthRetrying();
    }

    /** How long the collector asked us to wait ({@code Retry-After}), or -1 when it did not say. */
    long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** A short description for the user, e.g. {@code collector answered 503} or {@code connection refused}. */
    String describe() {
        if (status == NO_ANSWER) {
            return detail;
        }
        String text = "collector answered " + status;
        if (retryAfterMillis >= 0) {
            text += " (retry after " + Math.max(1, (retryAfterMillis + 999) / 1000) + " s)";
        }
        return detail.isEmpty() ? text : text + ": " + detail;
    }

    /**
     * The delay a {@code Retry-After} header asks for: delta-seconds or an HTTP date, as of
     * {@code nowMillis}. Returns -1 when the header is absent or unreadable, 0 for a date passed.
     */
    static long parseRetryAfter(String header, long nowMillis) {
        if (header == null) {
            return -1;
        }
        String value = header.trim();
        if (value.isEmpty()) {
            return -1;
        }
        boolean digits = true;
        for (int i = 0; i < value.length(); i++) {
            digits &= value.charAt(i) >= '0' && value.charAt(i) <= '9';
        }
        if (digits) {
            return value.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(value) * 1000;
        }
        try {
            long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - nowMillis);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /**
     * The collector's address as the catalog or {@code <APP>_TELEMETRY_ENDPOINT} gives it, checked once
     * before any upload: an absolute {@code http} or {@code https} URL with a host.
     *
     * @throws IllegalArgumentException saying what is wrong with the endpoint and how to fix it
     */
    static URI endpoint(String endpoint, String app) {
        String fix = "; fix \"endpoint\" in the catalog or set " + app.toUpperCase(Locale.ROOT) + "_TELEMETRY_ENDPOINT";
        if (endpoint == null) {
            throw new IllegalArgumentException("the telemetry endpoint is not set" + fix);
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the telemetry endpoint \"" + endpoint + "\" is not a URL ("
                    + e.getMessage() + ")" + fix);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
            return uri;
        }
        throw new IllegalArgumentException("the telemetry endpoint \"" + endpoint + "\" is not an absolute http(s) URL" + fix);
    }

    /**
     * Sends {@code json} to {@code endpoint} (http or https) and returns the collector's answer.
     * Never throws; connecting may take {@code connectTimeoutMillis}, and the answer's status line
     * must arrive within {@code requestTimeoutMillis} after that.
     *
     * @param tls the TLS context for https endpoints ({@code null}: the JDK's default)
     */
    static CollectorAnswer post(URI endpoint, byte[] json, int connectTimeoutMillis, int requestTimeoutMillis,
                                long nowMillis, SSLContext tls) {
        boolean https = endpoint.getScheme().equalsIgnoreCase("https");
        String host = endpoint.getHost();
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : https ? 443 : 80;
        long connectDeadline = System.nanoTime() + connectTimeoutMillis * 1_000_000L;
        CollectorAnswer exchange = new CollectorAnswer(NO_ANSWER, -1, "");
        try {
            byte[] body = gzip(json);
            SSLContext context = null;
            if (https) {
                try {
                    context = tls != null ? tls : SSLContext.getDefault();
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new SSLException(e.toString(), e);
                }
            }
            exchange.connect(host, port, context, connectDeadline);
            long requestDeadline = System.nanoTime() + requestTimeoutMillis * 1_000_000L;
            exchange.write(ByteBuffer.wrap(requestHead(endpoint, host, port, https, body.length)), requestDeadline);
            exchange.write(ByteBuffer.wrap(body), requestDeadline);
            return exchange.readAnswer(requestDeadline, nowMillis);
        } catch (ConnectException | NoRouteToHostException e) {
            return noAnswer("collector unreachable (" + e.getMessage() + ")");
        } catch (SocketTimeoutException e) {
            return noAnswer("collector did not answer in time (" + e.getMessage() + ")");
        } catch (UnknownHostException e) {
            return noAnswer("collector host unknown (" + e.getMessage() + ")");
        } catch (SSLException e) {
            return noAnswer("TLS failed with the collector (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            return noAnswer("network error (" + e + ")");
        } finally {
            if (exchange.channel != null) {
                try {
                    exchange.channel.close();
                } catch (IOException ignored) {
                    // Nothing left to do with this connection.
                }
            }
        }
    }

    static byte[] gzip(byte[] json) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(json);
        }
        return compressed.toByteArray();
    }

    private static byte[] requestHead(URI endpoint, String host, int port, boolean https, int contentLength) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        if (endpoint.getRawQuery() != null) {
            path += "?" + endpoint.getRawQuery();
        }
        String hostHeader = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        if (port != (https ? 443 : 80)) {
            hostHeader += ":" + port;
        }
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: " + Uploader.USER_AGENT + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Encoding: gzip\r\n"
                + "Accept: application/json, application/problem+json\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads the status line and headers (skipping 1xx), then at most a little of an error body. */
    private CollectorAnswer readAnswer(long deadline, long nowMillis) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_HEADER_BYTES + MAX_DETAIL_BYTES);
        while (true) {
            int headEnd = headerEnd(buffer);
            while (headEnd < 0) {
                if (!buffer.hasRemaining()) {
                    return noAnswer("the collector's answer headers are too long");
                }
                if (read(buffer, deadline) < 0) {
                    return noAnswer(buffer.position() == 0
                            ? "the collector closed the connection without answering"
                            : "the collector's answer was cut short");
                }
                headEnd = headerEnd(buffer);
            }
            String head = new String(buffer.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = statusOf(head);
            if (status < 0) {
                return noAnswer("the answer was not HTTP");
            }
            // Keep what followed the head: the next response (after a 1xx) or the body.
            int bodyStart = headEnd + 4;
            ByteBuffer rest = ByteBuffer.wrap(buffer.array(), bodyStart, buffer.position() - bodyStart).slice();
            buffer.clear();
            buffer.put(rest);
            if (status >= 100 && status < 200) {
                continue;
            }
            this.status = status;
            this.retryAfterMillis = status == 429 || status == 503
                    ? parseRetryAfter(header(head, "retry-after"), nowMillis) : -1;
            this.detail = status >= 400 ? detail(buffer, head, deadline) : "";
            return this;
        }
    }

    /** The start of an error body (a problem+json, usually), on one line, for the user. */
    private String detail(ByteBuffer buffer, String head, long deadline) {
        String length = header(head, "content-length");
        int wanted = MAX_DETAIL_BYTES;
        try {
            if (length != null) {
                wanted = (int) Math.min(MAX_DETAIL_BYTES, Long.parseLong(length.trim()));
            }
            long lingerUntil = Math.min(deadline, System.nanoTime() + DETAIL_WAIT_NANOS);
            while (buffer.position() < wanted && read(buffer, lingerUntil) >= 0) {
                // keep reading until enough, the end of the stream or the linger deadline
            }
        } catch (IOException | RuntimeException e) {
            // What arrived is enough for a message.
        }
        String text = new String(buffer.array(), 0, Math.min(buffer.position(), wanted), StandardCharsets.UTF_8);
        if ("chunked".equalsIgnoreCase(String.valueOf(header(head, "transfer-encoding")).trim())) {
            text = firstChunk(text);
        }
        StringBuilder oneLine = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = Character.isWhitespace(c) || Character.isISOControl(c);
            if (!space) {
                oneLine.append(c);
            } else if (oneLine.length() > 0 && oneLine.charAt(oneLine.length() - 1) != ' ') {
                oneLine.append(' ');
            }
        }
        return oneLine.toString().trim();
    }

    /** The data of the first chunk of a chunked body (as much of it as arrived). */
    private static String firstChunk(String body) {
        int lineEnd = body.indexOf("\r\n");
        if (lineEnd < 0) {
            return "";
        }
        String size = body.substring(0, lineEnd);
        int extension = size.indexOf(';');
        try {
            int length = Integer.parseInt((extension >= 0 ? size.substring(0, extension) : size).trim(), 16);
            return body.substring(lineEnd + 2, Math.min(body.length(), lineEnd + 2 + length));
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static int headerEnd(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        for (int i = 3; i < buffer.position(); i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    /** The status code of {@code HTTP/1.x SSS reason}, or -1 if {@code head} does not start like that. */
    private static int statusOf(String head) {
        if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
            return -1;
        }
        for (int i = 9; i < 12; i++) {
            if (head.charAt(i) < '0' || head.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The value of header {@code lowerCaseName} in {@code head}, or {@code null}. */
    private static String header(String head, String lowerCaseName) {
        int lineStart = head.indexOf("\r\n");
        while (lineStart >= 0) {
            int lineEnd = head.indexOf("\r\n", lineStart + 2);
            String line = head.substring(lineStart + 2, lineEnd < 0 ? head.length() : lineEnd);
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return line.substring(colon + 1).trim();
            }
            lineStart = lineEnd;
        }
        return null;
    }

    // ---- the connection ----

    /**
     * Connects to {@code host:port} by the deadline ({@code System.nanoTime()} based), or throws; with
     * {@code tls} not null, over TLS, its handshake completed by the same deadline. Whatever happens, the
     * channel (once open) is {@link #post}'s to close.
     */
    private void connect(String host, int port, SSLContext tls, long deadlineNanos) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        if (!channel.connect(new InetSocketAddress(address, port))) {
            long pause = 1;
            while (!channel.finishConnect()) {
                pause = pause(pause, deadlineNanos, "connecting to " + host + ":" + port);
            }
        }
        if (tls == null) {
            return;
        }
        try {
            engine = tls.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            fromNetwork = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            fromNetwork.flip();
            decrypted = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            decrypted.flip();
            toNetwork = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.beginHandshake();
            finishHandshake(deadlineNanos);
        } catch (IOException | RuntimeException e) {
            throw e instanceof IOException ? (IOException) e : new SSLException(e.toString(), e);
        }
    }

    /** Sends all of {@code bytes} by the deadline, or throws. */
    private void write(ByteBuffer bytes, long deadlineNanos) throws IOException {
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
    private int read(ByteBuffer into, long deadlineNanos) throws IOException {
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

    /** Writes raw bytes to the channel, polling while the socket buffer is full. */
    private void writeRaw(ByteBuffer bytes, long deadlineNanos) throws IOException {
        long pause = 1;
        while (bytes.hasRemaining()) {
            pause = channel.write(bytes) == 0 ? pause(pause, deadlineNanos, "sending the report") : 1;
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
            pause = pause(pause, deadlineNanos, "reading its reply");
        }
    }

    /**
     * Waits {@code millis} between two polls (less if the deadline comes first) and returns the next
     * pause: 1 ms, then doubling up to {@value #LONGEST_PAUSE_MILLIS} ms. Throws at the deadline.
     */
    private static long pause(long millis, long deadlineNanos, String what) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException(what + " took too long");
        }
        try {
            Thread.sleep(Math.max(1, Math.min(millis, remaining / 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while " + what);
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
