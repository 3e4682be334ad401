package dev.candor.server.release;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.store.PooledConnections;
import dev.candor.server.store.StoreUnavailableException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The frozen releases and the public ledger (table {@code releases}, migration V10). A release is
 * stored once, exactly as it is served, and never changes: freezing a breakdown that is already
 * frozen keeps the first. Every stored release is a ledger entry (app, period, breakdown, ε, and
 * the app's cumulative ε: the sum over all of its releases so far, in decimal arithmetic).
 * Thread-safe; concurrent writers (a running collector and a {@code candor release}) are
 * serialised by the database.
 */
public final class ReleaseLedger {

    /** One line of the ledger. */
    public record Entry(long seq, String app, String period, String breakdown, double epsilon, double cumulativeEpsilon) {
        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("app", app);
            node.put("period", period);
            node.put("breakdown", breakdown);
            node.put("epsilon", epsilon);
            node.put("cumulative_epsilon", cumulativeEpsilon);
            return node;
        }
    }

    private final DataSource dataSource;

    public ReleaseLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Freezes {@code release} unless its (app, period, breakdown) is frozen already, and returns the
     * new ledger entry, or empty when it was frozen before (the stored release stays as it was).
     */
    public synchronized Optional<Entry> freeze(Release release, String body) {
        try (Connection c = dataSource.getConnection()) {
            try {
                c.setAutoCommit(false);
                if (exists(c, release.app(), release.period(), release.by())) {
                    c.rollback();
                    c.setAutoCommit(true);
                    return Optional.empty();
                }
                long seq;
                try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM releases");
                     ResultSet r = s.executeQuery()) {
                    r.next();
                    seq = r.getLong(1) + 1;
                }
                BigDecimal cumulative = BigDecimal.valueOf(release.epsilon());
                try (PreparedStatement s = c.prepareStatement("SELECT epsilon FROM releases WHERE app = ?")) {
                    s.setString(1, release.app());
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            cumulative = cumulative.add(BigDecimal.valueOf(r.getDouble(1)));
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO releases "
                        + "(seq, app, period, breakdown, epsilon, cumulative_epsilon, body) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    s.setLong(1, seq);
                    s.setString(2, release.app());
                    s.setString(3, release.period());
                    s.setString(4, release.by());
                    s.setDouble(5, release.epsilon());
                    s.setDouble(6, cumulative.doubleValue());
                    s.setString(7, body);
                    s.executeUpdate();
                }
                c.commit();
                c.setAutoCommit(true);
                return Optional.of(new Entry(seq, release.app(), release.period(), release.by(), release.epsilon(),
                        cumulative.doubleValue()));
            } catch (SQLException | RuntimeException e) {
                PooledConnections.discard(dataSource, c); // its transaction state is unknown now
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot store the release of " + release.app() + " " + release.period()
                    + " by " + release.by() + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String app, String period, String by) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM releases WHERE app = ? AND period = ? AND breakdown = ?")) {
            s.setString(1, app);
            s.setString(2, period);
            s.setString(3, by);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** The frozen release's JSON exactly as stored, if it exists. */
    public Optional<String> release(String app, String period, String by) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT body FROM releases WHERE app = ? AND period = ? AND breakdown = ?")) {
            s.setString(1, app);
            s.setString(2, period);
            s.setString(3, by);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the release of " + app + " " + period + ": " + e.getMessage(), e);
        }
    }

    /** The latest period of the app with a release of breakdown {@code by}, if any. */
    public Optional<String> latestPeriod(String app, String by) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT MAX(period) FROM releases WHERE app = ? AND breakdown = ?")) {
            s.setString(1, app);
            s.setString(2, by);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the releases of " + app + ": " + e.getMessage(), e);
        }
    }

    /** The app's ledger, oldest release first. */
    public List<Entry> entries(String app) {
        List<Entry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT seq, app, period, breakdown, epsilon, cumulative_epsilon "
                     + "FROM releases WHERE app = ? ORDER BY seq")) {
            s.setString(1, app);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new Entry(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getDouble(5), r.getDouble(6)));
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the ledger of " + app + ": " + e.getMessage(), e);
        }
        return entries;
    }

    /** The ledger as {@code GET /v1/apps/{app}/ledger} serves it. */
    public ObjectNode ledgerJson(String app) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("app", app);
        List<Entry> entries = entries(app);
        root.put("cumulative_epsilon", entries.isEmpty() ? 0.0 : entries.get(entries.size() - 1).cumulativeEpsilon());
        ArrayNode list = root.putArray("releases");
        entries.forEach(e -> list.add(e.toJson()));
        return root;
    }
}
