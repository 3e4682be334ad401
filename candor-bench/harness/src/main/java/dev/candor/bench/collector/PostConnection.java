package dev.candor.bench.collector;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of the load generator: posts a prepared JSON body, blocks for the
 * answer, and reads it whole (status, headers, a {@code Content-Length} or chunked body). A broken
 * connection is closed and opened again by the next post; an answer with {@code Connection: close}
 * closes it after the answer is read.
 *
 * <p>It exists because the load generator shares the machine's cores with the server it measures: the
 * JDK's {@code HttpClient} spent 1.3 to 3 ms of CPU per 20-report request, as much as the collector
 * itself and several times the no-op ceiling's server, so it measured itself more than the server. This
 * costs two system calls per request. Not thread-safe: one connection per load thread.
 */
final class PostConnection implements AutoCloseable {
    /** What the server answered. */
    record Answer(int status, String body) {}

    private final InetSocketAddress address;
    private final String head;
    private final int timeoutMillis;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    PostConnection(String host, int port, String path, Duration timeout) {
        this.address = new InetSocketAddress(host, port);
        this.head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: ";
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** Posts {@code body} and returns the whole answer; on any failure the connection is closed and reopened by the next post. */
    Answer post(byte[] body) throws IOException {
        if (socket == null) {
            open();
        }
        try {
            byte[] headBytes = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
            out.flush();
            return readAnswer();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        Socket opened = new Socket();
        try {
            opened.setTcpNoDelay(true);
            opened.setSoTimeout(timeoutMillis);
            opened.connect(address, timeoutMillis);
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        socket = opened;
        out = opened.getOutputStream();
        in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
    }

    private Answer readAnswer() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status code: " + statusLine, e);
        }
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = parts[0].equals("HTTP/1.0");
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                copy(size, content);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers carry nothing the load generator needs
            }
        } else if (contentLength >= 0) {
            copy(contentLength, content);
        } else {
            in.transferTo(content);
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Answer(status, content.toString(StandardCharsets.UTF_8));
    }

    private long chunkSize() throws IOException {
        String size = line();
        int extension = size.indexOf(';');
        return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
    }

    private void copy(long length, ByteArrayOutputStream to) throws IOException {
        byte[] buffer = new byte[(int) Math.min(length, 8192)];
        long left = length;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(left, buffer.length));
            if (read < 0) {
                throw new EOFException("the connection ended " + left + " bytes before the answer's end");
            }
            to.write(buffer, 0, read);
            left -= read;
        }
    }

    /** One header line without its CRLF. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection ended inside the answer's head");
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > 8192) {
                throw new IOException("an answer's header line is longer than 8 KiB");
            }
            line.append((char) c);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken; the next post opens a new connection
            }
            socket = null;
            out = null;
            in = null;
        }
    }
}
