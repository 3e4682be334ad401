package dev.candor.server.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Where accepted reports and catalog versions live. The HTTP layer, rollups and releases talk to
 * storage only through this interface, so an embedded SQLite file and a PostgreSQL server are
 * interchangeable.
 *
 * <p>Promises of every implementation: {@link #storeAll} is atomic (all of the batch or none) and
 * idempotent by {@code report_id}, and returns only once the batch is durably committed; nothing
 * about the sender (address, user agent, arrival time) is ever stored. All methods are thread-safe.
 * Storage failures surface as {@link StoreUnavailableException} and never leave a partial batch.
 *
 * <p>Every implementation passes the same contract tests ({@code ReportStoreContract}).
 */
public interface ReportStore extends AutoCloseable {

    /** Environment variable holding the database user for {@code --db}, when the URL has none. */
    String DB_USER_ENV = "CANDOR_DB_USER";
    /** Environment variable holding the database password for {@code --db}, when the URL has none. */
    String DB_PASSWORD_ENV = "CANDOR_DB_PASSWORD";

    /**
     * Opens the store the command line names: the PostgreSQL database {@code jdbcUrl} when it is
     * given (user and password from the URL, else from {@value #DB_USER_ENV} and
     * {@value #DB_PASSWORD_ENV} in {@code env}), else the embedded SQLite file in {@code dataDir}.
     *
     * @param timeout how long a commit may wait (for a lock or a connection) before it fails
     * @param commitNanos told the duration of every successful commit of reports
     * @throws StoreUnavailableException if the database cannot be opened or migrated
     * @throws IllegalArgumentException if {@code jdbcUrl} is not a PostgreSQL JDBC URL
     */
    static ReportStore open(Path dataDir, String jdbcUrl, Map<String, String> env, Duration timeout,
            LongConsumer commitNanos) {
        return open(dataDir, jdbcUrl, env, timeout, DEFAULT_LEASE_TTL, commitNanos);
    }

    /** How long a node's lease on background work lives unless renewed: the wait before a dead node's work is taken over. */
    Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(1);

    /**
     * As {@link #open(Path, String, Map, Duration, LongConsumer)}, with the time to live of the
     * leases on background work (used by PostgreSQL; SQLite's in-process leases never expire).
     */
    static ReportStore open(Path dataDir, String jdbcUrl, Map<String, String> env, Duration timeout,
            Duration leaseTtl, LongConsumer commitNanos) {
        if (jdbcUrl == null) {
            return SqliteReportStore.open(dataDir, timeout, commitNanos);
        }
        return PostgresReportStore.open(jdbcUrl, env.get(DB_USER_ENV), env.get(DB_PASSWORD_ENV), timeout,
                leaseTtl, commitNanos);
    }

    /**
     * As {@link #open(Path, String, Map, Duration, Duration, LongConsumer)}, for the collector ({@code candor serve}):
     * the embedded store also holds its data folder for this process alone, until it is closed or the process
     * ends ({@link DataFolderLock}). A PostgreSQL database is shared by any number of collectors, so nothing is held.
     *
     * @throws StoreUnavailableException also when another collector holds the data folder
     */
    static ReportStore openForCollector(Path dataDir, String jdbcUrl, Map<String, String> env, Duration timeout,
            Duration leaseTtl, LongConsumer commitNanos) {
        if (jdbcUrl == null) {
            return SqliteReportStore.openForCollector(dataDir, timeout, commitNanos);
        }
        return open(dataDir, jdbcUrl, env, timeout, leaseTtl, commitNanos);
    }

    /**
     * Stores a batch of validated reports atomically, skipping every report whose
     * {@code report_id} is already stored (also within the batch), and returns only after the
     * commit is durable.
     *
     * @throws StoreUnavailableException if the batch could not be committed; nothing of it is stored
     */
    StoreOutcome storeAll(List<Report> reports);

    /**
     * Keeps a catalog version (its exact bytes, by SHA-256) and makes it the app's current
     * catalog. Saving a version already kept only makes it current again.
     */
    void saveCatalog(String app, String sha256, byte[] body);

    /** Every catalog version kept, for every app, each app's versions from oldest to current. */
    List<StoredCatalog> catalogs();

    /**
     * The catalog version {@code sha256} of {@code app}, if kept: one primary-key lookup, for a collector
     * node that meets a version another node installed.
     */
    java.util.Optional<StoredCatalog> catalog(String app, String sha256);

    /** Each app's current catalog version: app to SHA-256, without the catalogs' bytes (one small query). */
    Map<String, String> currentCatalogs();

    /** Each period of the app that has raw reports, oldest first, with the exact number stored. */
    List<PeriodCount> periods(String app);

    /**
     * Hands every raw report of the app and period to {@code action}, in no particular order,
     * without holding them all in memory.
     */
    void forEachReport(String app, LocalDate period, Consumer<Report> action);

    /**
     * Deletes the app's raw reports of every period that starts before {@code firstKeptPeriod}
     * (retention) and returns how many were deleted.
     */
    int deleteReportsBefore(String app, LocalDate firstKeptPeriod);

    /** Where the data lives, for messages: the database file, or the JDBC URL without its parameters. */
    String location();

    /**
     * The pooled connections to the store's database, for sibling stores that keep their own
     * tables in it (rollups, releases). Their SQL must run on SQLite and PostgreSQL alike.
     */
    DataSource dataSource();

    /**
     * What happened to the store's database when it was deleted or replaced while the store was open, as a sentence
     * naming the file or folder, or empty while it is in place (or the store cannot tell, as with PostgreSQL). Once it
     * is not, every write is refused with {@link StoreUnavailableException#databaseGone()}.
     */
    default java.util.Optional<String> databaseGone() {
        return java.util.Optional.empty();
    }

    /** Leases on units of background work, shared by every node that uses this database. */
    WorkLeases leases();

    /**
     * Stops accepting new batches, finishes the commits already in flight, then releases the
     * storage. Idempotent.
     */
    @Override
    void close();

    /** What {@link #storeAll} did: reports newly stored, and reports whose id was already stored. */
    record StoreOutcome(int accepted, int duplicates) {}

    /** One period with raw reports and how many are stored for it. */
    record PeriodCount(LocalDate period, long reports) {}

    /**
     * One kept catalog version.
     *
     * @param body the catalog file's exact bytes, whose SHA-256 is {@code sha256}
     * @param current whether this is the version the app's public catalog URL serves
     */
    record StoredCatalog(String app, String sha256, byte[] body, boolean current) {}
}
