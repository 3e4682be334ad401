package dev.candor.internal.upload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP collector on 127.0.0.1 for tests: it records every request (headers, raw body and
 * the body un-gzipped) and answers as the test says.
 */
final class LoopbackCollector implements AutoCloseable {
    /** One request as the collector received it. */
    record Request(String method, String path, Map<String, String> headers, byte[] rawBody, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** How the collector answers its {@code index}-th request (0-based). */
    interface Answer {
        void answer(HttpExchange exchange, int index) throws IOException;
    }

    private final HttpServer server;
    private final String scheme;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-collector");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new ArrayList<>();

    LoopbackCollector(Answer answer) throws IOException {
        this(answer, null);
    }

    /** A collector speaking HTTPS with {@code tls} (its key and certificate), or plain HTTP when {@code null}. */
    LoopbackCollector(Answer answer, SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 50);
        } else {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        this.scheme = tls == null ? "http" : "https";
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] raw = exchange.getRequestBody().readAllBytes();
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
                byte[] body = raw;
                if ("gzip".equals(headers.get("Content-Encoding"))) {
                    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                        body = in.readAllBytes();
                    }
                }
                int index;
                synchronized (requests) {
                    index = requests.size();
                    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            headers, raw, body));
                }
                answer.answer(exchange, index);
            }
        });
        server.start();
    }

    /** A collector answering each request with the next of {@code statuses}; the last one repeats. */
    static LoopbackCollector answering(int... statuses) throws IOException {
        return new LoopbackCollector((exchange, index) -> status(exchange, statuses[Math.min(index, statuses.length - 1)]));
    }

    /** Answers {@code status} with a small JSON body (problem+json for errors). */
    static void status(HttpExchange exchange, int status) throws IOException {
        String body = status < 300 ? "{\"accepted\":1,\"duplicates\":0}"
                : "{\"title\":\"status " + status + "\",\"detail\":\"test collector\"}";
        exchange.getResponseHeaders().set("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String endpoint() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/v1/reports").toString();
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
