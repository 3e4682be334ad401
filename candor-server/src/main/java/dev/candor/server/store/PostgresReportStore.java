package dev.candor.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.candor.server.FailureReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for a PostgreSQL server (or a PostgreSQL-compatible engine) shared by any number of
 * collector nodes. Each {@link #storeAll} is one {@code INSERT … VALUES (…), (…) ON CONFLICT
 * (report_id) DO NOTHING} committed on its own pooled connection: the batch is atomic, a report
 * already stored by any node (or repeated in the batch) is skipped and counted as a duplicate, and
 * the call returns only after the commit (with the server's default {@code synchronous_commit=on}
 * the WAL is flushed by then). Concurrent commits from many requests and nodes share the server's
 * WAL flushes, so no writer thread of our own is needed.
 *
 * <p>The schema is kept by Flyway ({@code db/migration/common} and {@code db/migration/postgresql}); several nodes starting at once
 * is safe (Flyway serialises migrations). The SQL avoids what distributed engines lack: no advisory
 * locks (leases are rows, see {@link DatabaseWorkLeases}), no {@code SKIP LOCKED}, no triggers or
 * stored procedures, deletes in bounded chunks.
 */
public final class PostgresReportStore extends JdbcReportStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresReportStore.class);
    /** Flyway's folders: SQL both stores run ({@code common}), and PostgreSQL's own where SQL must differ. */
    static final String[] MIGRATIONS = {"classpath:db/migration/common", "classpath:db/migration/postgresql"};
    /** Rows per INSERT statement: 4 parameters each, far below the protocol's 32767. */
    private static final int ROWS_PER_STATEMENT = 500;
    /** Rows per retention DELETE, so that no engine sees one huge transaction. */
    static final int ROWS_PER_DELETE = 1_000;
    private static final String INSERT_HEAD = "INSERT INTO reports (report_id, app, period, body) VALUES ";
    private static final String INSERT_ROW = "(?, ?, ?, ?)";
    private static final String INSERT_TAIL = " ON CONFLICT (report_id) DO NOTHING";

    private final String location;
    private final HikariDataSource pool;
    private final DatabaseWorkLeases leases;
    private final LongConsumer commitNanos;
    private final int queryTimeoutSeconds;
    /** storeAll holds the read side while it writes; close takes the write side to wait for them. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

    private PostgresReportStore(String location, HikariDataSource pool, Duration timeout, Duration leaseTtl,
            LongConsumer commitNanos) {
        this.location = location;
        this.pool = pool;
        this.commitNanos = commitNanos;
        this.queryTimeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        this.leases = new DatabaseWorkLeases(pool, leaseTtl);
    }

    /**
     * Opens the store on {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}), creating or
     * migrating the schema if needed.
     *
     * @param user the database user, or null to take it from the URL ({@code ?user=…})
     * @param password the password, or null to take it from the URL or go without
     * @param timeout how long a request waits for a connection or a statement before its batch fails
     *     with {@link StoreUnavailableException}
     * @param leaseTtl how long a node's lease on background work lives without renewal
     * @param commitNanos told the duration of every successful commit of reports
     * @throws StoreUnavailableException if the database cannot be reached or migrated
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
     */
    public static PostgresReportStore open(String jdbcUrl, String user, String password, Duration timeout,
            Duration leaseTtl, LongConsumer commitNanos) {
        String location = withoutParameters(checkUrl(jdbcUrl));
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isEmpty()) {
            hikari.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            hikari.setPassword(password);
        }
        hikari.setPoolName("candor-postgresql");
        hikari.setMaximumPoolSize(10);
        hikari.setMinimumIdle(2);
        hikari.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        hikari.setInitializationFailTimeout(Math.max(1, timeout.toMillis()));
        hikari.addDataSourceProperty("ApplicationName", "candor");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to " + location + ": " + FailureReason.of(e)
                    + " (user and password come from the URL or from CANDOR_DB_USER and CANDOR_DB_PASSWORD)", e);
        }
        try {
            requireCandorsOrNew(pool, location);
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (StoreUnavailableException e) {
            pool.close();
            throw e;
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreUnavailableException("cannot migrate " + location + ": " + FailureReason.of(e), e);
        }
        warnIfCommitsAreNotDurable(pool, location);
        return new PostgresReportStore(location, pool, timeout, leaseTtl, commitNanos);
    }

    /** Opens the store with a 5 s timeout and one-minute leases. */
    public static PostgresReportStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, Duration.ofSeconds(5), Duration.ofMinutes(1), nanos -> {});
    }

    static String checkUrl(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db takes a PostgreSQL JDBC URL, such as "
                    + "jdbc:postgresql://127.0.0.1:5432/candor (user and password from the URL's ?user=…&password=… "
                    + "or from CANDOR_DB_USER and CANDOR_DB_PASSWORD); got \"" + withoutParameters(String.valueOf(jdbcUrl)) + "\"");
        }
        if (!readableByTheDriver(jdbcUrl)) {
            // without this, the driver logs a timestamped warning and the pool fails with "No suitable driver"
            throw new IllegalArgumentException("--db \"" + withoutParameters(jdbcUrl) + "\" is not a URL the PostgreSQL "
                    + "driver can read; write it as jdbc:postgresql://HOST:PORT/DATABASE, with the / before the database "
                    + "and a number as the port");
        }
        return jdbcUrl;
    }

    /** Whether the PostgreSQL driver can read {@code jdbcUrl}, asked with its log quiet (it logs why it cannot). */
    private static boolean readableByTheDriver(String jdbcUrl) {
        java.util.logging.Logger driverLog = java.util.logging.Logger.getLogger("org.postgresql");
        java.util.logging.Level before = driverLog.getLevel();
        driverLog.setLevel(java.util.logging.Level.OFF);
        try {
            return org.postgresql.Driver.parseURL(jdbcUrl, null) != null;
        } finally {
            driverLog.setLevel(before);
        }
    }

    /**
     * Refuses a database that holds another program's tables in the schema Candor would use, and no
     * Candor schema: Flyway would fail on it with advice to "baseline" it, which would mix Candor's
     * tables into it. (A Candor table is only ever visible with the schema history beside it.)
     */
    private static void requireCandorsOrNew(DataSource pool, String location) {
        List<String> tables = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = current_schema() ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the tables of " + location + ": " + FailureReason.of(e), e);
        }
        if (!tables.isEmpty() && !tables.contains("flyway_schema_history")) {
            throw new StoreUnavailableException(location + " holds another program's tables ("
                    + String.join(", ", tables.subList(0, Math.min(5, tables.size()))) + (tables.size() > 5 ? ", …" : "")
                    + ") and no Candor schema, so it is not a Candor collector's database; give --db a database of its "
                    + "own (CREATE DATABASE candor); nothing was changed in it");
        }
    }

    /** The URL without its parameters, which may hold a password: safe to print. */
    static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }


    /** A 202 relies on the server flushing its WAL at commit; say so loudly when it is set not to. */
    private static void warnIfCommitsAreNotDurable(DataSource pool, String location) {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW synchronous_commit")) {
            if (rs.next() && "off".equalsIgnoreCase(rs.getString(1))) {
                LOG.warn("{} runs with synchronous_commit=off: a crash of the database server can lose reports "
                        + "already acknowledged with 202; set synchronous_commit=on for the collector's database", location);
            }
        } catch (SQLException e) {
            // engines without this setting (distributed ones) commit durably by design
        }
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public WorkLeases leases() {
        return leases;
    }

    @Override
    public StoreOutcome storeAll(List<Report> reports) {
        if (reports.isEmpty()) {
            return new StoreOutcome(0, 0);
        }
        Map<UUID, Report> distinct = new LinkedHashMap<>();
        for (Report report : reports) {
            distinct.putIfAbsent(report.reportId(), report);
        }
        List<Report> rows = new ArrayList<>(distinct.values());
        if (!gate.readLock().tryLock()) {
            throw new StoreUnavailableException("the store is shutting down; send the reports again later");
        }
        try {
            if (isClosed()) {
                throw new StoreUnavailableException("the store is shutting down; send the reports again later");
            }
            long start = System.nanoTime();
            int accepted = insert(rows);
            commitNanos.accept(System.nanoTime() - start);
            return new StoreOutcome(accepted, reports.size() - accepted);
        } finally {
            gate.readLock().unlock();
        }
    }

    private int insert(List<Report> rows) {
        try (Connection connection = pool.getConnection()) {
            boolean oneStatement = rows.size() <= ROWS_PER_STATEMENT;
            connection.setAutoCommit(oneStatement);
            try {
                int accepted = 0;
                for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                    accepted += insertChunk(connection, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
                }
                if (!oneStatement) {
                    connection.commit();
                }
                return accepted;
            } catch (SQLException | RuntimeException e) {
                if (!oneStatement) {
                    connection.rollback();
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (isConnectionLost(e)) {
                // the server restarted or failed over: every pooled connection is likely dead, so
                // replace them all now rather than failing one more request per dead connection
                pool.getHikariPoolMXBean().softEvictConnections();
            }
            throw new StoreUnavailableException("could not commit the reports to " + location + ": " + e.getMessage(), e);
        }
    }

    /** SQL states of a broken connection (class 08) or of a server that ended it (57P01–57P03). */
    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private int insertChunk(Connection connection, List<Report> chunk) throws SQLException {
        StringBuilder sql = new StringBuilder(INSERT_HEAD.length() + chunk.size() * (INSERT_ROW.length() + 2) + INSERT_TAIL.length());
        sql.append(INSERT_HEAD);
        for (int i = 0; i < chunk.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(INSERT_ROW);
        }
        sql.append(INSERT_TAIL);
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            insert.setQueryTimeout(queryTimeoutSeconds);
            int p = 0;
            for (Report report : chunk) {
                insert.setObject(++p, report.reportId());
                insert.setString(++p, report.app());
                insert.setString(++p, report.period().toString());
                insert.setString(++p, report.json());
            }
            return insert.executeUpdate();
        }
    }

    @Override
    public void saveCatalog(String app, String sha256, byte[] body) {
        Objects.requireNonNull(body, "body");
        ensureOpen();
        try (Connection connection = pool.getConnection();
                PreparedStatement save = connection.prepareStatement(
                        "INSERT INTO catalog_versions (app, sha256, body, installed_seq) "
                                + "VALUES (?, ?, ?, nextval('catalog_install_seq')) "
                                + "ON CONFLICT (app, sha256) DO UPDATE SET installed_seq = EXCLUDED.installed_seq")) {
            save.setString(1, app);
            save.setString(2, sha256);
            save.setBytes(3, body);
            save.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not save the catalog of " + app + ": " + e.getMessage(), e);
        }
    }

    /** The driver streams rows (fetch size) only inside a transaction; this one is read-only and rolled back. */
    @Override
    void streaming(Connection connection, RowWork work) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            work.run(connection);
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(true);
        }
    }

    @Override
    public int deleteReportsBefore(String app, LocalDate firstKeptPeriod) {
        ensureOpen();
        try (Connection connection = pool.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM reports WHERE report_id IN "
                                + "(SELECT report_id FROM reports WHERE app = ? AND period < ? LIMIT " + ROWS_PER_DELETE + ")")) {
            delete.setString(1, app);
            delete.setString(2, firstKeptPeriod.toString());
            int total = 0;
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted > 0);
            return total;
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not delete old reports of " + app + ": " + e.getMessage(), e);
        }
    }

    /** Refuses new batches, waits for the commits in flight, releases this node's leases, closes the pool. */
    @Override
    public void close() {
        gate.writeLock().lock();
        try {
            if (isClosed()) {
                return;
            }
            markClosed();
        } finally {
            gate.writeLock().unlock();
        }
        leases.close();
        pool.close();
    }
}
