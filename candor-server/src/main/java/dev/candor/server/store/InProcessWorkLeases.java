package dev.candor.server.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link WorkLeases} for a store that only one collector process writes to (the embedded SQLite
 * file): a lease is an entry in a map of this process, so it never expires and is released when
 * closed. Work that another process might do at the same time (a {@code candor release} run
 * beside {@code candor serve}) is kept apart by the database's own transactions, as before.
 */
public final class InProcessWorkLeases implements WorkLeases {
    private final ConcurrentHashMap<String, Object> held = new ConcurrentHashMap<>();

    @Override
    public Optional<Lease> tryAcquire(String unit) {
        WorkLeases.checkUnit(unit);
        Object token = new Object();
        if (held.putIfAbsent(unit, token) != null) {
            return Optional.empty();
        }
        return Optional.of(new Lease() {
            private volatile boolean open = true;

            @Override
            public String unit() {
                return unit;
            }

            @Override
            public boolean isHeld() {
                return open;
            }

            @Override
            public void close() {
                open = false;
                held.remove(unit, token);
            }
        });
    }
}
