package dev.candor.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WorkLeases} shared by every collector node on one database, kept in the table
 * {@code work_leases} (unit, holder, expires_at). Taking a lease is one
 * {@code INSERT … ON CONFLICT (unit) DO UPDATE … WHERE expires_at < CURRENT_TIMESTAMP}: it
 * succeeds for exactly one node when the unit is free or its lease has run out, whatever the
 * number of nodes racing for it. Expiry is judged by the database's clock, so the nodes' clocks do
 * not matter. A held lease is renewed every third of its time to live by one daemon thread; a
 * node killed while holding one simply stops renewing, and another node takes the unit over once
 * the time to live has passed.
 *
 * <p>Plain SQL only, no advisory locks and no {@code SELECT … FOR UPDATE SKIP LOCKED}, so the
 * same statements run on PostgreSQL and the PostgreSQL-compatible distributed engines.
 */
public final class DatabaseWorkLeases implements WorkLeases, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWorkLeases.class);

    private static final String ACQUIRE = "INSERT INTO work_leases (unit, holder, expires_at) "
            + "VALUES (?, ?, CURRENT_TIMESTAMP + CAST(? AS INTERVAL)) "
            + "ON CONFLICT (unit) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at "
            + "WHERE work_leases.expires_at < CURRENT_TIMESTAMP";
    private static final String RENEW = "UPDATE work_leases SET expires_at = CURRENT_TIMESTAMP + CAST(? AS INTERVAL) "
            + "WHERE unit = ? AND holder = ?";
    private static final String RELEASE = "DELETE FROM work_leases WHERE unit = ? AND holder = ?";

    private final DataSource dataSource;
    private final Duration ttl;
    private final String holder = UUID.randomUUID().toString();
    private final Set<HeldLease> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewal;

    /**
     * @param ttl how long a lease lives without renewal: the longest a killed node's unit waits
     *     before another node takes it over
     */
    public DatabaseWorkLeases(DataSource dataSource, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a lease must live at least 1 s (it is renewed every third of it), not " + ttl);
        }
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "candor-lease-renewal");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
    }

    /** This node's identity in {@code work_leases.holder}: random, chosen at start, never stored elsewhere. */
    public String holder() {
        return holder;
    }

    @Override
    public Optional<Lease> tryAcquire(String unit) {
        WorkLeases.checkUnit(unit);
        long asked = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement acquire = connection.prepareStatement(ACQUIRE)) {
            acquire.setString(1, unit);
            acquire.setString(2, holder);
            acquire.setString(3, interval());
            if (acquire.executeUpdate() != 1) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            LOG.warn("could not ask the database for the lease on {}; leaving it to another node: {}", unit, e.getMessage());
            return Optional.empty();
        }
        HeldLease lease = new HeldLease(unit, asked);
        held.add(lease);
        long every = Math.max(1, ttl.toMillis() / 3);
        lease.renewing = renewal.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return Optional.of(lease);
    }

    private String interval() {
        return ttl.toMillis() + " milliseconds";
    }

    /** Stops renewing and releases every lease this node still holds, so other nodes need not wait. */
    @Override
    public void close() {
        renewal.shutdownNow();
        for (HeldLease lease : held) {
            lease.close();
        }
    }

    private final class HeldLease implements Lease {
        private final String unit;
        private volatile long confirmedNanos;
        private volatile boolean lost;
        private volatile boolean closed;
        volatile ScheduledFuture<?> renewing;

        HeldLease(String unit, long confirmedNanos) {
            this.unit = unit;
            this.confirmedNanos = confirmedNanos;
        }

        @Override
        public String unit() {
            return unit;
        }

        @Override
        public boolean isHeld() {
            return !closed && !lost && System.nanoTime() - confirmedNanos < ttl.toNanos();
        }

        void renew() {
            long asked = System.nanoTime();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement renew = connection.prepareStatement(RENEW)) {
                renew.setString(1, interval());
                renew.setString(2, unit);
                renew.setString(3, holder);
                if (renew.executeUpdate() == 1) {
                    confirmedNanos = asked;
                } else {
                    lost = true;
                    LOG.warn("the lease on {} expired and was taken over by another node", unit);
                    renewing.cancel(false);
                }
            } catch (SQLException e) {
                LOG.warn("could not renew the lease on {} (trying again): {}", unit, e.getMessage());
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            held.remove(this);
            ScheduledFuture<?> task = renewing;
            if (task != null) {
                task.cancel(false);
            }
            if (lost) {
                return;
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement release = connection.prepareStatement(RELEASE)) {
                release.setString(1, unit);
                release.setString(2, holder);
                release.executeUpdate();
            } catch (SQLException e) {
                LOG.warn("could not release the lease on {}; it expires within {}: {}", unit, ttl, e.getMessage());
            }
        }
    }
}
