package dev.candor.server.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the store could commit lately, as the requests that commit have found out: healthy until
 * a commit fails, unhealthy from then until a commit succeeds again. {@code /healthz} answers from
 * this alone, so a probe costs no database work and never queues behind the writers.
 *
 * <p>It only learns from commits that happen: a collector taken out of a load balancer's rotation
 * because its {@code /healthz} said 503 stays 503 until a report (or a catalog) is committed again,
 * so use it to alert or to stop sending, and put the node back by hand or with a retry that posts.
 * Thread-safe.
 */
final class CommitHealth {
    private final Clock clock;
    /** When the first commit failed since the last one that succeeded; null while healthy. */
    private volatile Instant failingSince;

    CommitHealth(Clock clock) {
        this.clock = clock;
    }

    /** Told after a commit succeeded. */
    void committed() {
        if (failingSince != null) {
            failingSince = null;
        }
    }

    /** Told after a commit failed. */
    synchronized void failed() {
        if (failingSince == null) {
            failingSince = clock.instant();
        }
    }

    /** Since when commits fail, or empty when the last commit succeeded (or none was tried yet). */
    Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }
}
