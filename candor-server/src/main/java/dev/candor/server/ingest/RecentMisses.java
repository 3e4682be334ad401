package dev.candor.server.ingest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The catalog versions recently looked up in the store and not found there, so that reports naming
 * a made-up version cost at most one store lookup per version per {@code ttl}, and memory for at most
 * {@code capacity} versions: past it, the entry that expires first is forgotten. Thread-safe; each call
 * is a map operation under one lock.
 */
final class RecentMisses {
    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    /** Key to the time its entry expires; insertion order is expiry order, as every entry lives ttl. */
    private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

    RecentMisses(int capacity, java.time.Duration ttl, LongSupplier nanoTime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether {@code key} was missed less than ttl ago (and not forgotten since). */
    synchronized boolean contains(String key) {
        Long expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (nanoTime.getAsLong() - expiry >= 0) {
            expiries.remove(key);
            return false;
        }
        return true;
    }

    /** Remembers a miss of {@code key} for ttl from now. */
    synchronized void add(String key) {
        long now = nanoTime.getAsLong();
        expiries.remove(key);
        expiries.put(key, now + ttlNanos);
        // drop the expired and, past capacity, the oldest: both are at the front
        Iterator<Map.Entry<String, Long>> oldest = expiries.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Long> entry = oldest.next();
            if (expiries.size() <= capacity && now - entry.getValue() < 0) {
                break;
            }
            oldest.remove();
        }
    }

    /** Forgets a miss of {@code key}: the version is kept now. */
    synchronized void forget(String key) {
        expiries.remove(key);
    }

    synchronized int size() {
        return expiries.size();
    }
}
