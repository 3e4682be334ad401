package dev.candor.server.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * What {@code GET /metrics} shows, in Prometheus format, in two parts.
 *
 * <p>To anyone: how the collector process is doing (memory, threads, CPU, uptime, loaded classes) and
 * whether its storage commits ({@code candor_storage_up}); nothing there counts reports or requests,
 * so an operator can scrape it without a secret and learns nothing a release would hide.
 *
 * <p>With the admin token, also the counts: reports accepted, duplicate, and rejected by reason;
 * request latency by route (the route template, never the raw path, so a client cannot create
 * series); and the store's commit latency. Each of these counts reports or requests exactly, and
 * DESIGN section 7 makes only releases public. Labels never hold anything about a sender.
 */
public final class CollectorMetrics {
    /** Said in the public part, so that whoever reads it knows where the rest is. */
    static final String COUNTS_NEED_TOKEN =
            "# Counts of reports and requests are exact, so they are shown only with the admin token"
                    + " (Authorization: Bearer <token>).\n";

    private final PrometheusMeterRegistry process = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted = Counter.builder("candor.reports.accepted")
            .description("Reports newly stored").register(registry);
    private final Counter duplicates = Counter.builder("candor.reports.duplicate")
            .description("Reports acknowledged again because their report_id was already stored").register(registry);
    private final Timer commits = Timer.builder("candor.store.commit")
            .description("Durable commits of reports (one group commit may hold several requests)")
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);

    public CollectorMetrics() {
        // Binders that need no closing: the collector lives as long as its JVM, and tests start many.
        new JvmMemoryMetrics().bindTo(process);
        new JvmThreadMetrics().bindTo(process);
        new ClassLoaderMetrics().bindTo(process);
        new ProcessorMetrics().bindTo(process);
        new UptimeMetrics().bindTo(process);
    }

    /** Shows {@code candor_storage_up}: 1 while the store commits, 0 from a failed commit until one succeeds. */
    void storageUp(BooleanSupplier up) {
        Gauge.builder("candor.storage.up", up, u -> u.getAsBoolean() ? 1 : 0)
                .description("1 while the store commits, 0 from a failed commit until a commit succeeds (as /healthz)")
                .strongReference(true) // a gauge holds its source weakly, and nothing else holds this lambda
                .register(process);
    }

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

    /** The public part: the process and the storage, no counts. */
    String scrapeProcess() {
        return process.scrape() + COUNTS_NEED_TOKEN;
    }

    /** Everything: the public part and the exact counts (for the admin token only). */
    String scrapeWithCounts() {
        return process.scrape() + registry.scrape();
    }
}
