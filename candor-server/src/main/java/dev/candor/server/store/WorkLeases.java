package dev.candor.server.store;

import java.util.Optional;

/**
 * Mutual exclusion for background work when several collector nodes share one database: the
 * rollup, retention and release jobs run on every node, and each unit of their work (one app's
 * period, one app's retention, one app's releases) is done by one node at a time. A lease expires
 * unless its holder keeps renewing it, so the work of a node that was killed is taken over by
 * another node once the lease has run out.
 *
 * <p>How a job uses it:
 *
 * <pre>{@code
 * store.leases().runExclusively("release/" + app, () -> {
 *     // decide here, inside the lease, what is still to do (read the ledger, the rollup counts),
 *     // then do it; another node that held the lease before may have done part of it already
 * });
 * }</pre>
 *
 * <p>A lease gives exclusion, not exactly-once by itself: "done once" comes from the job deciding
 * inside the lease what is still undone and writing its result idempotently (a release frozen
 * once by its unique key, a rollup rebuilt only when more reports exist). A holder that stalls for
 * longer than the lease's time to live can lose it while still working; {@link Lease#isHeld()}
 * says so between steps, and the unique keys refuse a second copy of the same result.
 *
 * <p>Unit names are free text up to 200 characters; use {@code <job>/<app>[/<period>]}, for
 * example {@code rollup/acme/2026-11-24}, {@code retention/acme}, {@code release/acme}.
 * Implementations are thread-safe.
 */
public interface WorkLeases {

    /** Longest unit name, in characters. */
    int MAX_UNIT_LENGTH = 200;

    /**
     * Takes the lease on {@code unit} unless another holder has a live lease on it. The lease
     * stays held (renewed in the background where leases can expire) until it is closed.
     *
     * @return the lease, or empty when another holder has it (or the database could not be asked)
     */
    Optional<Lease> tryAcquire(String unit);

    /**
     * Runs {@code work} under the lease of {@code unit}, then releases the lease; does nothing when
     * another holder has the lease.
     *
     * @return whether {@code work} ran
     */
    default boolean runExclusively(String unit, Runnable work) {
        Optional<Lease> lease = tryAcquire(unit);
        if (lease.isEmpty()) {
            return false;
        }
        try (Lease held = lease.get()) {
            work.run();
        }
        return true;
    }

    /** A held lease on one unit of work; closing it releases the unit to other holders at once. */
    interface Lease extends AutoCloseable {
        String unit();

        /** False once the lease was lost (it expired before a renewal reached the database). */
        boolean isHeld();

        @Override
        void close();
    }

    /** Checks a unit name; see the class comment. */
    static String checkUnit(String unit) {
        if (unit == null || unit.isBlank() || unit.length() > MAX_UNIT_LENGTH) {
            throw new IllegalArgumentException("a lease unit is a non-blank name of at most " + MAX_UNIT_LENGTH
                    + " characters, such as rollup/acme/2026-11-24; got " + (unit == null ? "null" : "\"" + unit + "\""));
        }
        return unit;
    }
}
