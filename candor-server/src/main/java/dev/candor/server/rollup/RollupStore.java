package dev.candor.server.rollup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.server.store.PooledConnections;
import dev.candor.server.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Keeps one {@link PeriodRollup} per app and period in the collector's database (table
 * {@code rollups}, migration V10), beside the raw reports but independent of them: retention
 * deletes raw reports, never rollups. Thread-safe; a save replaces the period's rollup atomically.
 */
public final class RollupStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public RollupStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The app's rolled-up periods, oldest first, each with the number of raw reports it counted. */
    public Map<String, Long> periods(String app) {
        Map<String, Long> periods = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT period, reports FROM rollups WHERE app = ? ORDER BY period")) {
            s.setString(1, app);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    periods.put(r.getString(1), r.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the rollups of " + app + ": " + e.getMessage(), e);
        }
        return periods;
    }

    /** The rollup of the app's period, if one was built. */
    public Optional<PeriodRollup> load(String app, String period) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT body FROM rollups WHERE app = ? AND period = ?")) {
            s.setString(1, app);
            s.setString(2, period);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(JSON.readValue(r.getString(1), PeriodRollup.class));
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the rollup of " + app + " " + period + ": " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored rollup of " + app + " " + period + " is not readable: " + e.getMessage(), e);
        }
    }

    /** Stores {@code rollup}, replacing the period's previous one in the same transaction. */
    public void save(PeriodRollup rollup) {
        String body;
        try {
            body = JSON.writeValueAsString(rollup);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the rollup of " + rollup.app() + " " + rollup.period(), e);
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM rollups WHERE app = ? AND period = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO rollups (app, period, reports, body) VALUES (?, ?, ?, ?)")) {
                c.setAutoCommit(false);
                delete.setString(1, rollup.app());
                delete.setString(2, rollup.period());
                delete.executeUpdate();
                insert.setString(1, rollup.app());
                insert.setString(2, rollup.period());
                insert.setLong(3, rollup.reports());
                insert.setString(4, body);
                insert.executeUpdate();
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                PooledConnections.discard(dataSource, c); // its transaction state is unknown now
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot store the rollup of " + rollup.app() + " " + rollup.period()
                    + ": " + e.getMessage(), e);
        }
    }
}
