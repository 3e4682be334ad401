package dev.candor.internal.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector on 127.0.0.1 that speaks raw bytes, for answers a well-behaved HTTP server never
 * gives: it reads one request (head and {@code Content-Length} body), records it, then lets the
 * test write whatever it likes, or nothing at all.
 */
final class RawCollector implements AutoCloseable {
    interface Behaviour {
        void answer(OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final List<String> heads = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    RawCollector(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (sockets) {
                        sockets.add(socket);
                    }
                    String head = readRequest(socket.getInputStream());
                    synchronized (heads) {
                        heads.add(head);
                    }
                    behaviour.answer(socket.getOutputStream());
                    socket.getOutputStream().flush();
                } catch (Exception e) {
                    // The client went away, or the test closed the collector.
                }
            }
        }, "raw-collector");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static RawCollector answering(String rawAnswer) throws IOException {
        return new RawCollector(out -> {
            out.write(rawAnswer.getBytes(StandardCharsets.ISO_8859_1));
            out.close();
        });
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1/reports";
    }

    List<String> heads() {
        synchronized (heads) {
            return List.copyOf(heads);
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request cut short");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
