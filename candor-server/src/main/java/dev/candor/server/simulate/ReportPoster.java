package dev.candor.server.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.server.FailureReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts batches of reports to a collector's {@code POST /v1/reports} as {@code {"reports": [...]}},
 * a few at a time, honouring {@code 429} and {@code 503} with their {@code Retry-After}. Any other
 * refusal stops the simulation with the collector's own explanation.
 */
final class ReportPoster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 8;

    private final URI endpoint;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService executor;
    private final Semaphore inFlight;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    ReportPoster(URI endpoint, int parallel) {
        this.endpoint = endpoint;
        this.executor = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "candor-simulate-post");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(parallel * 2);
    }

    /** Queues one batch; blocks while enough batches are in flight; throws the first failure seen. */
    void post(List<byte[]> reports) {
        rethrow();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"reports\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < reports.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(reports.get(i));
        }
        body.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        int count = reports.size();
        inFlight.acquireUninterruptibly();
        executor.execute(() -> {
            try {
                send(bytes);
                sent.addAndGet(count);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    private void send(byte[] body) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw new SimulationException("cannot reach " + endpoint + ": " + FailureReason.of(e)
                            + " (is the collector running there?)");
                }
                pause(Duration.ofMillis(200L * attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationException("interrupted while posting to " + endpoint);
            }
            int status = response.statusCode();
            if (status == 202) {
                JsonNode answer = parse(response.body());
                accepted.addAndGet(answer.path("accepted").asLong());
                duplicates.addAndGet(answer.path("duplicates").asLong());
                return;
            }
            if ((status == 429 || status == 503) && attempt < ATTEMPTS) {
                long seconds = response.headers().firstValue("Retry-After").map(ReportPoster::seconds).orElse(1L);
                pause(Duration.ofSeconds(Math.max(1, Math.min(seconds, 60))));
                continue;
            }
            JsonNode problem = parse(response.body());
            throw new SimulationException(endpoint + " answered " + status + ": "
                    + (problem.has("detail") ? problem.get("detail").asText() : response.body()));
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while waiting to retry");
        }
    }

    private void rethrow() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Waits for every queued batch; throws the first failure. */
    void finish() {
        executor.shutdown();
        try {
            while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while posting");
        }
        rethrow();
    }

    long sent() {
        return sent.get();
    }

    long accepted() {
        return accepted.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
