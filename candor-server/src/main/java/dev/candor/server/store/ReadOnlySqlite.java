package dev.candor.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A collector's SQLite database opened to read only, for the commands that only read ({@code candor stats}):
 * the database is never written or migrated, so they work on a read-only folder (a mounted backup, a folder of
 * the collector's user that others may read) and never change the schema under a running collector. (In a folder
 * it may write, with the collector stopped, SQLite leaves an empty {@code -wal} and {@code -shm} file beside the
 * database, which a read-only connection may create but not remove.) A database whose schema is behind this
 * version's is refused with what to do, since only a command that writes may migrate it.
 */
public final class ReadOnlySqlite implements AutoCloseable {
    /** SQLite's primary result code for a file it cannot open. */
    private static final int SQLITE_CANTOPEN = 14;

    private final Path databaseFile;
    private final DataSource dataSource;

    private ReadOnlySqlite(Path databaseFile, DataSource dataSource) {
        this.databaseFile = databaseFile;
        this.dataSource = dataSource;
    }

    /**
     * Opens {@value SqliteReportStore#DATABASE_FILE} in {@code dataDir} to read.
     *
     * @throws StoreUnavailableException when it is not a Candor collector's database, cannot be read, or its
     *     schema is not current (saying which command migrates it)
     */
    public static ReadOnlySqlite open(Path dataDir) {
        Path databaseFile = dataDir.toAbsolutePath().normalize().resolve(SqliteReportStore.DATABASE_FILE);
        SqliteReportStore.requireCandorsOrNew(databaseFile);
        DataSource dataSource = readable(databaseFile);
        List<MigrationInfo> pending;
        try {
            pending = List.of(Flyway.configure().dataSource(dataSource).locations(SqliteReportStore.MIGRATIONS).load()
                    .info().pending());
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot read the schema of " + databaseFile + ": " + e.getMessage(), e);
        }
        if (!pending.isEmpty()) {
            throw new StoreUnavailableException(databaseFile + " has an older schema than this candor reads ("
                    + pending.size() + (pending.size() == 1 ? " migration" : " migrations") + " to version "
                    + pending.get(pending.size() - 1).getVersion() + " pending), and this command only reads, so it "
                    + "does not migrate it; run this version's `candor serve --data " + dataDir + "` (or a command "
                    + "that writes, such as `candor rollup --data " + dataDir + "`) once, then try again");
        }
        return new ReadOnlySqlite(databaseFile, dataSource);
    }

    /**
     * Connections that open the file read-only and can read it. A database in WAL mode needs its {@code -shm}
     * file, which SQLite creates when it is missing (the collector is stopped); in a folder this user may not
     * write it cannot, and then the file is opened as immutable, which is right only when no commit waits in
     * a {@code -wal} file (a stopped collector checkpoints and removes it).
     */
    private static DataSource readable(Path databaseFile) {
        SQLiteDataSource shared = dataSource("jdbc:sqlite:" + databaseFile);
        SQLException failure;
        try {
            check(shared);
            return shared;
        } catch (SQLException e) {
            failure = e;
        }
        Path wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
        boolean commitsInWal;
        try {
            commitsInWal = Files.exists(wal) && Files.size(wal) > 0;
        } catch (java.io.IOException e) {
            commitsInWal = true;
        }
        if ((failure.getErrorCode() & 0xff) != SQLITE_CANTOPEN || Files.isWritable(databaseFile.getParent())) {
            throw new StoreUnavailableException("cannot read " + databaseFile + ": " + failure.getMessage(), failure);
        }
        if (commitsInWal) {
            throw new StoreUnavailableException("cannot read " + databaseFile + ": commits in " + wal.getFileName()
                    + " are not in the database file yet, and SQLite can read them only with a " + databaseFile.getFileName()
                    + "-shm file, which it cannot create in this read-only folder; start and stop `candor serve` on it "
                    + "once where it is writable (that moves them into the file), or make the folder writable", failure);
        }
        SQLiteDataSource immutable = dataSource("jdbc:sqlite:file:" + databaseFile.toUri().getRawPath() + "?immutable=1");
        try {
            check(immutable);
            return immutable;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteDataSource dataSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(30_000);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(url);
        return sqlite;
    }

    private static void check(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            rs.next();
        }
    }

    /** Connections to the database, read-only; each is opened when asked for and closed by its user. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Every app with a catalog in the database, each once, in name order. */
    public List<String> apps() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT DISTINCT app FROM catalog_versions ORDER BY app")) {
            List<String> apps = new ArrayList<>();
            while (rs.next()) {
                apps.add(rs.getString(1));
            }
            return apps;
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read the catalogs in " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    /** Nothing is held between reads: every connection is closed by its user. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return databaseFile.toString();
    }
}
