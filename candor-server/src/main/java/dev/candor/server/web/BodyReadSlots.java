package dev.candor.server.web;

import dev.candor.server.ingest.Problem;
import dev.candor.server.ingest.ProblemException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many request bodies one peer address may be sending at the same time. Reading a body
 * holds a Jetty worker thread until its last byte arrives, so without a bound one client opening a
 * few hundred connections that each send a byte and then wait would hold every worker and stop the
 * collector, {@code /healthz} included. Past the bound a request is refused at once (429) and its
 * thread goes back to the pool.
 *
 * <p>The address is kept only in memory and only while that peer has a body in flight: an entry
 * is removed when its last body is read, so nothing here outlives the requests it counts.
 * Thread-safe.
 */
final class BodyReadSlots {
    private final int perPeer;
    private final ConcurrentHashMap<String, AtomicInteger> reading = new ConcurrentHashMap<>();

    /** @param perPeer bodies one address may send at once */
    BodyReadSlots(int perPeer) {
        this.perPeer = perPeer;
    }

    /**
     * Takes a slot for one body from {@code peer}; close the returned slot once the body is read.
     *
     * @throws ProblemException 429 when the peer already sends {@code perPeer} bodies
     */
    Slot enter(String peer) {
        boolean[] admitted = new boolean[1];
        reading.compute(peer, (address, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < perPeer) {
                current.incrementAndGet();
                admitted[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        if (!admitted[0]) {
            throw new ProblemException(new Problem(429, "rate-limited", "Too many requests",
                    "this address is already sending " + perPeer + " request bodies at once; wait for their answers "
                            + "and retry after 1 s", List.of()));
        }
        return () -> reading.computeIfPresent(peer, (address, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** Peers with a body in flight now (for tests). */
    int peersReading() {
        return reading.size();
    }

    /** A body's slot; closing it twice releases it twice, so close it exactly once. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
