package dev.candor.server.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * What {@code GET /metrics} shows, in Prometheus format: reports accepted, duplicate, and rejected
 * by reason; request latency by route (the route template, never the raw path, so a client
 * cannot create series); and the store's commit latency. Labels never hold anything about a sender.
 * Every one of these counts reports or requests exactly, so they are shown only with the admin token.
 */
public final class CollectorMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted = Counter.builder("candor.reports.accepted")
            .description("Reports newly stored").register(registry);
    private final Counter duplicates = Counter.builder("candor.reports.duplicate")
            .description("Reports acknowledged again because their report_id was already stored").register(registry);
    private final Timer commits = Timer.builder("candor.store.commit")
            .description("Durable commits of reports (one group commit may hold several requests)")
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);

    void stored(int acceptedReports, int duplicateReports) {
        accepted.increment(acceptedReports);
        duplicates.increment(duplicateReports);
    }

    /** Counts one rejected {@code POST /v1/reports} request; {@code reason} is the problem's kind. */
    void rejected(String reason) {
        Counter.builder("candor.reports.rejected")
                .description("POST /v1/reports requests rejected, by reason (the problem type)")
                .tag("reason", reason).register(registry).increment();
    }

    void request(String method, String route, int status, double millis) {
        Timer.builder("candor.http.requests")
                .description("HTTP request latency by route template and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry).record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** Told each commit's duration by the store. */
    public LongConsumer commitObserver() {
        return nanos -> commits.record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }
}
