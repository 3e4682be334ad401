package dev.candor.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client whose socket is bound to a chosen loopback address (for example
 * 127.0.0.9), so the collector sees that address as the peer — what Java's HttpClient cannot do.
 */
public final class LoopbackHttp {
    private LoopbackHttp() {}

    /** One answer: status and body. */
    public record Answer(int status, String headers, String body) {}

    /** Sends one request with {@code Connection: close} from {@code fromAddress} and reads the whole answer. */
    public static Answer send(String fromAddress, int port, String method, String path, String extraHeaders,
            byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "User-Agent: candor-test/1.0 (from " + fromAddress + ")\r\nConnection: close\r\n"
                    + extraHeaders + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String headers = split < 0 ? text : text.substring(0, split);
            String content = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(headers.substring(9, 12));
            return new Answer(status, headers, content);
        }
    }
}
