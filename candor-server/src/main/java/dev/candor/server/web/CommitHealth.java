package dev.candor.server.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the store could commit lately, as the requests that commit have found out: healthy until
 * a commit fails, unhealthy from then until a commit succeeds again or {@link #FORGET_AFTER} passes
 * without another failure. {@code /healthz} answers from this alone, so a probe costs no database work
 * and never queues behind the writers.
 *
 * <p>Why a failure is forgotten: a node that a load balancer took out of rotation on its 503 receives
 * no more reports, so no commit would ever succeed to clear it, and one lock held a few seconds too
 * long (a {@code candor release} run on the same SQLite file, say) would keep it out for good. After
 * {@link #FORGET_AFTER} it says healthy again; if the store still cannot commit, the next request
 * finds out and it is unhealthy again at once. Thread-safe.
 */
final class CommitHealth {
    /** How long a failed commit keeps the store unhealthy when no commit follows, either way. */
    static final Duration FORGET_AFTER = Duration.ofSeconds(30);

    private final Supplier<Instant> clock;
    private final Duration forgetAfter;
    /**
     * The first failed commit since the last one that succeeded, or null while healthy (written under this
     * object's lock; volatile so that a commit, on every request, reads it without taking the lock).
     */
    private volatile Instant failingSince;
    /** The latest failed commit (guarded by this). */
    private Instant lastFailure;

    CommitHealth() {
        this(Instant::now, FORGET_AFTER);
    }

    CommitHealth(Supplier<Instant> clock, Duration forgetAfter) {
        this.clock = clock;
        this.forgetAfter = forgetAfter;
    }

    /** Told after a commit succeeded. */
    void committed() {
        if (failingSince != null) { // healthy is the usual case: no lock taken on the request's way
            synchronized (this) {
                failingSince = null;
            }
        }
    }

    /** Told after a commit failed. */
    synchronized void failed() {
        lastFailure = clock.get();
        if (failingSince == null) {
            failingSince = lastFailure;
        }
    }

    /**
     * Since when commits fail, or empty when the last commit succeeded, none was tried yet, or the last
     * failure is older than the time after which it is forgotten.
     */
    synchronized Optional<Instant> failingSince() {
        if (failingSince != null && !clock.get().isBefore(lastFailure.plus(forgetAfter))) {
            failingSince = null;
        }
        return Optional.ofNullable(failingSince);
    }
}
