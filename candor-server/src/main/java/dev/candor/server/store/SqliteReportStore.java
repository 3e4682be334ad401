package dev.candor.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.candor.server.FailureReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file ({@value #DATABASE_FILE}) under the data folder, in WAL mode
 * with {@code synchronous=FULL}, so a commit is on disk (the WAL is synced) before
 * {@link #storeAll} returns and survives a killed process and a power cut alike. Concurrent
 * batches are committed together by one writer thread (group commit); readers never block it, and WAL
 * checkpoints run beside it ({@link WalCheckpointer}), never inside its commits. Reports are appended in arrival
 * order and deduplicated by the id's 16 bytes ({@link ReportIds}, migration V11).
 * The schema is kept by Flyway ({@code db/migration/common} and {@code db/migration/sqlite}).
 */
public final class SqliteReportStore extends JdbcReportStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteReportStore.class);
    public static final String DATABASE_FILE = "candor.db";
    /** Flyway's folders: SQL both stores run ({@code common}), and SQLite's own where SQL must differ. */
    static final String[] MIGRATIONS = {"classpath:db/migration/common", "classpath:db/migration/sqlite"};

    /** Appends a report (seq is the next rowid); a report_id already stored is left alone and counted a duplicate. */
    private static final String INSERT_REPORT = "INSERT INTO reports (report_id, app, period, body) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (report_id) DO NOTHING";

    private final Path databaseFile;
    private final HikariDataSource pool;
    /** The pool as everything but the report writer writes through it: each write checked as the writer's commits are. */
    private final InPlaceDataSource checkedPool;
    private final GroupCommitWriter writer;
    private final WalCheckpointer checkpointer;
    private final WorkLeases leases = new InProcessWorkLeases();
    /**
     * What identifies the database file on its file system (device and inode on Unix), read once it is open, or
     * null where the platform has no such key (then only the file's presence is checked).
     */
    private final Object fileKey;
    /**
     * What happened to the database file, as first found (and logged) when it was no longer the one opened, or null
     * while it is: once gone it stays gone for this store, whatever appears at its path later.
     */
    private final java.util.concurrent.atomic.AtomicReference<String> gone = new java.util.concurrent.atomic.AtomicReference<>();
    /** The data folder's lock when this store is a collector's ({@link #openForCollector}), else null. */
    private final DataFolderLock folderLock;

    private SqliteReportStore(Path databaseFile, HikariDataSource pool, LongConsumer commitNanos, Duration busyTimeout,
            DataFolderLock folderLock) {
        this.databaseFile = databaseFile;
        this.pool = pool;
        this.folderLock = folderLock;
        this.checkpointer = new WalCheckpointer(pool, busyTimeout.toMillis());
        this.fileKey = fileKey(databaseFile);
        this.checkedPool = new InPlaceDataSource(pool, () -> requireDatabaseFileInPlace("nothing of it is written"));
        this.writer = new GroupCommitWriter(pool, new ReportInserter(), commitNanos, busyTimeout.toMillis() * 2 + 10_000,
                checkpointer::restartIfDue, () -> requireDatabaseFileInPlace("nothing of this batch is kept"));
    }

    /** Opens (creating and migrating if needed) the store in {@code dataDir}, waiting up to 5 s on a busy database. */
    public static SqliteReportStore open(Path dataDir) {
        return open(dataDir, Duration.ofSeconds(5), nanos -> {});
    }

    /**
     * Opens the store in {@code dataDir}.
     *
     * @param busyTimeout how long a write waits for a lock held by another connection or process
     *     before the batch fails with {@link StoreUnavailableException}
     * @param commitNanos told the duration of every successful group commit
     * @throws StoreUnavailableException if the folder or database cannot be created or migrated
     */
    public static SqliteReportStore open(Path dataDir, Duration busyTimeout, LongConsumer commitNanos) {
        return open(dataDir, busyTimeout, commitNanos, false);
    }

    /**
     * As {@link #open(Path, Duration, LongConsumer)}, for {@code candor serve}: the store also holds the data
     * folder for this process alone ({@link DataFolderLock}), from before anything in it is changed until
     * {@link #close()} or the end of the process. The offline commands open the store without it.
     *
     * @throws StoreUnavailableException also when another collector holds the folder
     */
    public static SqliteReportStore openForCollector(Path dataDir, Duration busyTimeout, LongConsumer commitNanos) {
        return open(dataDir, busyTimeout, commitNanos, true);
    }

    private static SqliteReportStore open(Path dataDir, Duration busyTimeout, LongConsumer commitNanos, boolean collector) {
        Path databaseFile = dataDir.toAbsolutePath().normalize().resolve(DATABASE_FILE);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the data folder " + dataDir + ": " + FailureReason.of(e, dataDir), e);
        }
        requireCandorsOrNew(databaseFile);
        // after the checks above, which change nothing, and before the first change (WAL mode, migrations)
        DataFolderLock folderLock = collector ? DataFolderLock.acquire(databaseFile.getParent()) : null;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Statement journals and temporary tables in memory, not in files written and deleted per
        // commit; durability is the WAL's alone, so nothing is lost by it.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // 32 MiB of page cache per connection (the default is 2 MiB): the report_id index is written at
        // random places, and pages read back from the file cost a system call each.
        config.setCacheSize(-32 * 1024);
        config.enforceForeignKeys(true);
        // Off: with it on (the driver's default), every INSERT's executeUpdate ran a regex over the SQL text and
        // then compiled and ran "SELECT last_insert_rowid()" for a key nobody reads, one extra statement per report
        // on the writer thread. Nothing in Candor asks for generated keys.
        config.setGetGeneratedKeys(false);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + databaseFile);

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("candor-sqlite");
        // Checkpoints run on a thread of their own (WalCheckpointer), never inside the writer's commits.
        hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint = 0");
        hikari.setMaximumPoolSize(5); // one of them held by the WalCheckpointer
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(busyTimeout.toMillis() + 5_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            release(folderLock);
            Path folder = databaseFile.getParent();
            if (!Files.isWritable(folder) || (Files.exists(databaseFile) && !Files.isWritable(databaseFile))) {
                throw readOnly(databaseFile, e);
            }
            throw new StoreUnavailableException("cannot open " + databaseFile + ": " + e.getMessage(), e);
        }
        DataFolderLock migrating = null;
        try {
            Flyway flyway = Flyway.configure().dataSource(pool).locations(MIGRATIONS).load();
            if (!collector) {
                migrating = lockToMigrate(flyway, databaseFile);
            }
            flyway.migrate();
            // The file exists now. A connection the pool opens later must not create an empty database in its place
            // when it was deleted: it would fail every query with "no such table", and look like a restored file.
            sqlite.getConfig().resetOpenMode(org.sqlite.SQLiteOpenMode.CREATE);
        } catch (StoreUnavailableException e) {
            pool.close();
            release(folderLock);
            throw e;
        } catch (RuntimeException e) {
            pool.close();
            release(folderLock);
            throw new StoreUnavailableException("cannot migrate " + databaseFile + ": " + e.getMessage(), e);
        } finally {
            release(migrating);
        }
        return new SqliteReportStore(databaseFile, pool, commitNanos, busyTimeout, folderLock);
    }

    /**
     * For an offline command (not the collector): when the database already has a schema and this version would
     * migrate it, the data folder's lock, held until the migration is done; null when nothing is to be migrated.
     * Refuses while a collector holds the folder: that collector may be an older version, which would go on
     * running against a schema it does not know. With nothing to migrate the command runs beside the collector.
     *
     * @throws StoreUnavailableException saying what to do when a collector holds the folder
     */
    private static DataFolderLock lockToMigrate(Flyway flyway, Path databaseFile) {
        org.flywaydb.core.api.MigrationInfoService info = flyway.info();
        org.flywaydb.core.api.MigrationInfo[] pending = info.pending();
        if (pending.length == 0 || info.current() == null) {
            return null; // nothing to migrate, or a new database no collector has opened yet
        }
        Path folder = databaseFile.getParent();
        DataFolderLock.Attempt attempt = DataFolderLock.tryAcquire(folder);
        if (attempt.lock() != null) {
            return attempt.lock();
        }
        throw new StoreUnavailableException(databaseFile + " has an older schema than this candor (version "
                + info.current().getVersion() + ", " + pending.length + (pending.length == 1 ? " migration" : " migrations")
                + " to version " + pending[pending.length - 1].getVersion() + " pending), and a collector"
                + (attempt.holder() == null ? "" : " (process " + attempt.holder() + ")") + " is running on "
                + folder + ": migrating the schema under it could break it, so nothing was changed; stop that "
                + "collector first and run this again, or let this version's `candor serve --data " + folder
                + "` migrate it at its start, in the place of the running one");
    }

    private static void release(DataFolderLock folderLock) {
        if (folderLock != null) {
            folderLock.close();
        }
    }

    /** The error for a database file, or a data folder, that this user may not write. */
    static StoreUnavailableException readOnly(Path databaseFile, Throwable cause) {
        Path folder = databaseFile.getParent();
        return new StoreUnavailableException("cannot open " + databaseFile + ": " + (Files.isWritable(folder)
                ? "the file is read-only" : "the folder " + folder + " is read-only") + " for this user, and the "
                + "collector writes there (" + DATABASE_FILE + " and its -wal and -shm files beside it); give --data "
                + "a folder it may write, or make this one writable", cause);
    }

    /** SQLite's primary result codes for a file that is damaged, or not a database. */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    /** The 16 bytes every SQLite database file begins with. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Refuses, before anything is written to it, a {@value #DATABASE_FILE} that is not a Candor
     * collector's database: a file that is not SQLite (or is damaged), or a SQLite database that holds
     * tables but no schema history, i.e. another program's. Opening such a file the usual way would
     * switch it to WAL mode, a lasting change to someone else's file, and then fail with Flyway's advice
     * to "baseline" it, which would mix Candor's tables into it. An empty or missing file is a new store.
     */
    static void requireCandorsOrNew(Path databaseFile) {
        String whatToDo = "; give --data a folder of its own (or move that file away); nothing was changed in it";
        byte[] head;
        try {
            if (!Files.isRegularFile(databaseFile) || Files.size(databaseFile) == 0) {
                return;
            }
            try (java.io.InputStream in = Files.newInputStream(databaseFile)) {
                head = in.readNBytes(SQLITE_HEADER.length);
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + databaseFile + ": " + FailureReason.of(e, databaseFile), e);
        }
        if (!java.util.Arrays.equals(head, SQLITE_HEADER)) {
            throw new StoreUnavailableException(databaseFile + " is not a SQLite database, so not a Candor collector's" + whatToDo);
        }
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        List<String> tables = new java.util.ArrayList<>();
        try (Connection connection = readOnly.createConnection("jdbc:sqlite:" + databaseFile);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                + "ORDER BY name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            int primary = e.getErrorCode() & 0xff;
            if (primary != SQLITE_NOTADB && primary != SQLITE_CORRUPT) {
                return; // cannot be opened at all (a read-only folder, say): the usual open says why
            }
            throw new StoreUnavailableException(databaseFile + " cannot be read as a SQLite database (" + e.getMessage()
                    + "): it is damaged, or not a database; if it is the collector's, restore it from a backup, else give --data "
                    + "a folder of its own; nothing was changed in it", e);
        }
        if (!tables.isEmpty() && !tables.contains("flyway_schema_history")) {
            throw new StoreUnavailableException(databaseFile + " holds another program's tables ("
                    + String.join(", ", tables.subList(0, Math.min(5, tables.size()))) + (tables.size() > 5 ? ", …" : "")
                    + ") and no Candor schema, so it is not a Candor collector's database" + whatToDo);
        }
    }

    /**
     * After each commit of reports, before anyone is told it is stored, and before every other write commits
     * ({@link InPlaceDataSource}: catalogs, rollups, retention, releases, sign-outs): the database file must still
     * be the one this store opened. SQLite keeps writing through the files it holds open, so when the data folder or the file
     * is deleted (or the file replaced, say by a restore from a backup) while the collector runs, every commit
     * "succeeds" into a file that no longer has a name and is lost at the next restart. One {@code stat} per
     * commit (group of batches) tells it, against the commit's own sync of the WAL; the first time is logged, and
     * from then on every batch is refused with a 503 until the collector is restarted, and so is every other write.
     *
     * @param refused what the exception's message says of the refused write
     * @throws StoreUnavailableException (with {@link StoreUnavailableException#databaseGone()}) when it is not
     */
    private void requireDatabaseFileInPlace(String refused) {
        String what = goneNow();
        if (what != null) {
            throw StoreUnavailableException.databaseGone(what + "; " + refused);
        }
    }

    /** {@link #gone}, or what {@link #notInPlace()} finds now, logged the first time. */
    private String goneNow() {
        String was = gone.get();
        if (was != null) {
            return was;
        }
        String what = notInPlace();
        if (what != null && gone.compareAndSet(null, what)) {
            LOG.error("{}. SQLite would go on writing into the file it holds open, which no longer has a name and is "
                    + "lost when the collector stops, so from now on every report is refused with 503 (its sender keeps "
                    + "it and sends it again later), and so is every catalog upload, and the background rollups, retention "
                    + "and releases stop, until the collector is restarted with its data folder in place", what);
        }
        return gone.get();
    }

    /**
     * What happened to the database file when it is no longer the one this store opened (one {@code stat}), or null
     * when it is in place or that cannot be told (a write that succeeded is not refused on a guess).
     */
    private String notInPlace() {
        boolean replaced;
        try {
            Object now = Files.readAttributes(databaseFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (fileKey == null || fileKey.equals(now)) {
                return null;
            }
            replaced = true;
        } catch (java.nio.file.NoSuchFileException e) {
            replaced = false;
        } catch (IOException e) {
            return null;
        }
        Path folder = databaseFile.getParent();
        return replaced ? databaseFile + " was replaced by another file while the collector runs"
                : Files.isDirectory(folder) ? databaseFile + " was deleted while the collector runs"
                : "the data folder " + folder + " was deleted while the collector runs, " + DATABASE_FILE + " with it";
    }

    /** The file's key (see {@link #fileKey}), or null when there is none or it cannot be read. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The database file, for messages and for sibling stores (rollups) that share it. */
    public Path databaseFile() {
        return databaseFile;
    }

    @Override
    public String location() {
        return databaseFile.toString();
    }

    /**
     * The pooled connections to this store's database, for sibling stores that keep their own tables in it; a write
     * through them is refused ({@link StoreUnavailableException#databaseGone()}) once the file is deleted or replaced.
     */
    @Override
    public DataSource dataSource() {
        return checkedPool;
    }

    /** What a write found before, or else what one {@code stat} finds now. */
    @Override
    public java.util.Optional<String> databaseGone() {
        return java.util.Optional.ofNullable(goneNow());
    }

    /** In-process leases: only this process writes to the file (see {@link InProcessWorkLeases}). */
    @Override
    public WorkLeases leases() {
        return leases;
    }

    @Override
    public StoreOutcome storeAll(List<Report> reports) {
        if (reports.isEmpty()) {
            return new StoreOutcome(0, 0);
        }
        String known = gone.get();
        if (known != null) { // refused before the writer, so a batch is not first written into the nameless file
            throw StoreUnavailableException.databaseGone(known + "; nothing of this batch is kept");
        }
        return writer.submit(List.copyOf(reports));
    }

    /**
     * Writes batches for the group commit, preparing the insert once per commit (per connection the writer
     * borrows) rather than once per batch: SQLite compiles a statement on every prepare, and a commit holds up
     * to 64 batches. The pool closes the statement with the connection. Used by the writer thread only.
     */
    private static final class ReportInserter implements GroupCommitWriter.BatchWriter {
        private Connection preparedOn;
        private PreparedStatement insert;

        @Override
        public StoreOutcome write(Connection connection, List<Report> batch) throws SQLException {
            if (connection != preparedOn || insert.isClosed()) {
                preparedOn = null;
                insert = connection.prepareStatement(INSERT_REPORT);
                preparedOn = connection;
            }
            int accepted = 0;
            for (Report report : batch) {
                insert.setBytes(1, ReportIds.bytes(report.reportId()));
                insert.setString(2, report.app());
                insert.setString(3, report.period().toString());
                insert.setString(4, report.json());
                accepted += insert.executeUpdate();
            }
            return new StoreOutcome(accepted, batch.size() - accepted);
        }
    }

    @Override
    public void saveCatalog(String app, String sha256, byte[] body) {
        Objects.requireNonNull(body, "body");
        ensureOpen();
        try (Connection connection = checkedPool.getConnection()) {
            try {
                connection.setAutoCommit(false);
                long next;
                try (PreparedStatement max = connection.prepareStatement(
                        "SELECT COALESCE(MAX(installed_seq), 0) FROM catalog_versions WHERE app = ?")) {
                    max.setString(1, app);
                    try (ResultSet rs = max.executeQuery()) {
                        rs.next();
                        next = rs.getLong(1) + 1;
                    }
                }
                int updated;
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE catalog_versions SET installed_seq = ? WHERE app = ? AND sha256 = ?")) {
                    update.setLong(1, next);
                    update.setString(2, app);
                    update.setString(3, sha256);
                    updated = update.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO catalog_versions (app, sha256, body, installed_seq) VALUES (?, ?, ?, ?)")) {
                        insert.setString(1, app);
                        insert.setString(2, sha256);
                        insert.setBytes(3, body);
                        insert.setLong(4, next);
                        insert.executeUpdate();
                    }
                }
                connection.commit();
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                PooledConnections.discard(checkedPool, connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not save the catalog of " + app + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteReportsBefore(String app, LocalDate firstKeptPeriod) {
        ensureOpen();
        try (Connection connection = checkedPool.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM reports WHERE app = ? AND period < ?")) {
            delete.setString(1, app);
            delete.setString(2, firstKeptPeriod.toString());
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not delete old reports of " + app + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        writer.close();
        checkpointer.close();
        markClosed();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException ignored) {
            // a checkpoint only tidies the WAL file; every commit is already durable in it
        }
        pool.close();
        release(folderLock);
    }
}
