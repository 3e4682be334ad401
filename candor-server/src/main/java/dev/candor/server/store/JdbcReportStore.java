package dev.candor.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the SQLite and the PostgreSQL store share: the read side (catalog versions, periods with their
 * report counts, the reports of one period) is the same SQL on both, so it is written once here over
 * {@link #dataSource()}. Each subclass keeps what really differs: how reports are written durably,
 * how catalogs are saved, how retention deletes, and how a connection streams a large result
 * ({@link #streaming}). After {@link #markClosed()} every read refuses with
 * {@link StoreUnavailableException}.
 */
abstract class JdbcReportStore implements ReportStore {
    private volatile boolean closed;

    /** A query run on a connection that {@link #streaming} prepared. */
    interface RowWork {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on {@code connection} so that the driver streams rows by the statement's fetch
     * size instead of loading the whole result; this default needs nothing around it.
     */
    void streaming(Connection connection, RowWork work) throws SQLException {
        work.run(connection);
    }

    @Override
    public final List<StoredCatalog> catalogs() {
        ensureOpen();
        String sql = "SELECT c.app, c.sha256, c.body, "
                + "CASE WHEN c.installed_seq = (SELECT MAX(m.installed_seq) FROM catalog_versions m WHERE m.app = c.app) "
                + "THEN 1 ELSE 0 END AS is_current "
                + "FROM catalog_versions c ORDER BY c.app, c.installed_seq";
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<StoredCatalog> result = new ArrayList<>();
            while (rs.next()) {
                result.add(new StoredCatalog(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getInt(4) == 1));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read the catalogs: " + e.getMessage(), e);
        }
    }

    @Override
    public final Optional<StoredCatalog> catalog(String app, String sha256) {
        ensureOpen();
        String sql = "SELECT c.body, CASE WHEN c.installed_seq = (SELECT MAX(m.installed_seq) FROM catalog_versions m "
                + "WHERE m.app = c.app) THEN 1 ELSE 0 END FROM catalog_versions c WHERE c.app = ? AND c.sha256 = ?";
        try (Connection connection = dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, app);
            query.setString(2, sha256);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(new StoredCatalog(app, sha256, rs.getBytes(1), rs.getInt(2) == 1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read catalog version " + sha256 + " of " + app + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final Map<String, String> currentCatalogs() {
        ensureOpen();
        String sql = "SELECT c.app, c.sha256 FROM catalog_versions c "
                + "WHERE c.installed_seq = (SELECT MAX(m.installed_seq) FROM catalog_versions m WHERE m.app = c.app)";
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            Map<String, String> result = new TreeMap<>();
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read the current catalogs: " + e.getMessage(), e);
        }
    }

    @Override
    public final List<PeriodCount> periods(String app) {
        ensureOpen();
        try (Connection connection = dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT period, COUNT(*) FROM reports WHERE app = ? GROUP BY period ORDER BY period")) {
            query.setString(1, app);
            try (ResultSet rs = query.executeQuery()) {
                List<PeriodCount> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new PeriodCount(LocalDate.parse(rs.getString(1)), rs.getLong(2)));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not list the periods of " + app + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final void forEachReport(String app, LocalDate period, Consumer<Report> action) {
        ensureOpen();
        try (Connection connection = dataSource().getConnection()) {
            streaming(connection, streamingConnection -> {
                try (PreparedStatement query = streamingConnection.prepareStatement(
                        "SELECT body FROM reports WHERE app = ? AND period = ?")) {
                    query.setString(1, app);
                    query.setString(2, period.toString());
                    query.setFetchSize(500);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            action.accept(ReportJson.read(rs.getString(1)));
                        }
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read the reports of " + app + " " + period + ": " + e.getMessage(), e);
        }
    }

    final boolean isClosed() {
        return closed;
    }

    /** From now on every read refuses; the subclass closes its own resources. */
    final void markClosed() {
        closed = true;
    }

    final void ensureOpen() {
        if (closed) {
            throw new StoreUnavailableException("the store is closed");
        }
    }
}
