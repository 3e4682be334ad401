package dev.candor.bench.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The three collectors a tiny app may meet, on loopback ports of this process: one that answers every
 * request with success (whatever protocol the library speaks: Candor's reports, OTLP/HTTP, PostHog's and
 * Segment's batch calls), a port where nothing listens, and one that accepts and never answers.
 */
public final class LoopbackCollectors implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final HttpServer answering;
    private final ExecutorService answeringThreads = Executors.newCachedThreadPool(daemon("bench-answering"));
    private final ServerSocket silent;
    private final List<Socket> heldConnections = new CopyOnWriteArrayList<>();
    private final int refusingPort;

    public LoopbackCollectors() throws IOException {
        answering = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 64);
        answering.createContext("/", LoopbackCollectors::answer);
        answering.setExecutor(answeringThreads);
        answering.start();

        silent = new ServerSocket(0, 64, LOOPBACK);
        Thread acceptor = daemon("bench-silent").newThread(this::acceptAndHold);
        acceptor.start();

        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            refusingPort = probe.getLocalPort();
        }
    }

    /** The base URL (scheme, host, port; no path) a tiny app should use under {@code condition}. */
    public String baseUrl(NetworkCondition condition) {
        switch (condition) {
            case UP: return "http://127.0.0.1:" + answering.getAddress().getPort();
            case DOWN: return "http://127.0.0.1:" + refusingPort;
            case HANG: return "http://127.0.0.1:" + silent.getLocalPort();
            default: throw new IllegalArgumentException("unknown condition " + condition);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        String path = exchange.getRequestURI().getPath();
        byte[] reply;
        int status;
        if (path.endsWith("/v1/reports")) {
            status = 202;
            reply = "{\"accepted\":1,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        } else if (path.endsWith("/v1/metrics")) {
            status = 200; // an empty OTLP ExportMetricsServiceResponse
            reply = new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        } else {
            status = 200;
            reply = "{\"success\":true,\"status\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    private void acceptAndHold() {
        while (!silent.isClosed()) {
            try {
                heldConnections.add(silent.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() throws IOException {
        answering.stop(0);
        answeringThreads.shutdownNow();
        silent.close();
        for (Socket socket : heldConnections) {
            socket.close();
        }
    }
}
