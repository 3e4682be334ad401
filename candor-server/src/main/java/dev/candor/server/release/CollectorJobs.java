package dev.candor.server.release;

import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background work of {@code candor serve}: at start and then every interval, roll up what is
 * new, delete raw reports past retention, and release every period whose grace time is over. One
 * named daemon thread; a failed run is logged and the next run tries again, except when the store's
 * database file was deleted or replaced under it: then no run could write, and the jobs stop for good. When several nodes
 * share a database, one lease ({@value #LEASE}) lets one node at a time run; each step decides
 * inside the lease what is still to do and writes idempotently (rollups rebuilt only when more
 * reports exist, releases frozen once by their unique key).
 */
public final class CollectorJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorJobs.class);

    private final ReportStore reports;
    private final RollupJob rollups;
    private final ReleaseJob releases;
    private final ScheduledExecutorService executor;

    private CollectorJobs(ReportStore reports, RollupJob rollups, ReleaseJob releases) {
        this.reports = reports;
        this.rollups = rollups;
        this.releases = releases;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "candor-rollup-release");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
    }

    /** Starts running the jobs now and every {@code interval}. */
    public static CollectorJobs start(ReportStore reports, RollupJob rollups, ReleaseJob releases, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the jobs' interval must be positive, was " + interval);
        }
        CollectorJobs jobs = new CollectorJobs(reports, rollups, releases);
        jobs.executor.scheduleWithFixedDelay(jobs::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return jobs;
    }

    /** The lease that keeps two collector nodes on one database from running the jobs at once. */
    static final String LEASE = "collector-jobs/all-apps";

    private void runOnce() {
        java.util.Optional<String> gone = reports.databaseGone();
        if (gone.isPresent()) {
            stopFor(gone.get());
            return;
        }
        try {
            reports.leases().runExclusively(LEASE, this::runJobs);
        } catch (StoreUnavailableException e) {
            if (!e.databaseGone()) {
                LOG.warn("rollup, retention or release failed; trying again at the next run: {}", e.toString());
                return;
            }
            stopFor(reports.databaseGone().orElse(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("rollup, retention or release failed; trying again at the next run: {}", e.toString());
        }
    }

    /** No run could ever write again (the store logged why, once): stop, rather than fail at every interval. */
    private void stopFor(String databaseGone) {
        LOG.warn("background rollups, retention and releases stopped until the collector is restarted: {}", databaseGone);
        executor.shutdown();
    }

    private void runJobs() {
        RollupJob.Outcome outcome = rollups.run();
        if (!outcome.rolledUp().isEmpty()) {
            LOG.info("rolled up {}", String.join(", ", outcome.rolledUp()));
        }
        outcome.deleted().forEach(e -> LOG.info("retention deleted {}", e));
        List<ReleaseLedger.Entry> made = releases.releaseDue(CurrentCatalogs.load(reports));
        made.forEach(e -> LOG.info("released {} {} by {} with epsilon {} (cumulative {})",
                e.app(), e.period(), e.breakdown(), e.epsilon(), e.cumulativeEpsilon()));
    }

    /** Stops the jobs, waiting up to 10 s for a run in progress (its writes are transactions). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
