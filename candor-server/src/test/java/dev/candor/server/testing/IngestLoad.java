package dev.candor.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simple load generator for the ingest path, run as its own process against a running
 * collector that has the acme catalog: {@code threads} senders post batches of {@code batch}
 * fresh acme reports as fast as the collector acknowledges them; after a warm-up it measures for
 * {@code seconds} and prints reports/s and request latency. See BENCHMARKS.md for the command.
 *
 * <p>Arguments: {@code --target URL --seconds N --threads N --batch N --warmup N}.
 */
public final class IngestLoad {
    private IngestLoad() {}

    public static void main(String[] args) throws Exception {
        String target = "http://127.0.0.1:8080";
        int seconds = 20;
        int threads = 16;
        int batch = 1;
        int warmup = 5;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--target" -> target = args[i + 1];
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --target URL --seconds N --threads N --batch N --warmup N");
            }
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = target;
        URI reports = URI.create(base + "/v1/reports");
        HttpResponse<String> catalog = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/apps/acme/catalog"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String acmeSha = catalog.headers().firstValue("Candor-Catalog-Sha256").orElseThrow(() ->
                new IllegalStateException("the collector at " + base + " has no acme catalog (start it with --catalog)"));

        String sha = acmeSha;
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        int perRequest = batch;
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            Thread sender = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    StringBuilder body = new StringBuilder("{\"reports\":[");
                    for (int i = 0; i < perRequest; i++) {
                        body.append(i == 0 ? "" : ",").append(AcmeReports.valid(UUID.randomUUID(), sha));
                    }
                    body.append("]}");
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(reports)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (measuring.get()) {
                            if (response.statusCode() == 202) {
                                acknowledged.addAndGet(perRequest);
                                requests.incrementAndGet();
                                if (n < mine.length) {
                                    mine[n++] = System.nanoTime() - start;
                                }
                            } else {
                                failures.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                mine[mine.length - 1] = n;
            }, "load-" + t);
            senders.add(sender);
            sender.start();
        }
        Thread.sleep(warmup * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread sender : senders) {
            sender.join();
        }
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1])).sorted().toArray();
        System.out.printf(Locale.ROOT, "threads=%d batch=%d seconds=%.1f: %.0f reports/s, %.0f requests/s, "
                        + "latency p50 %.1f ms, p99 %.1f ms, failures %d%n",
                threads, batch, elapsed, acknowledged.get() / elapsed, requests.get() / elapsed,
                percentile(all, 0.50), percentile(all, 0.99), failures.get());
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
