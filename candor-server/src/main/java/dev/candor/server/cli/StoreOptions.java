package dev.candor.server.cli;

import dev.candor.server.store.ReportStore;
import dev.candor.server.store.SqliteReportStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the offline commands ({@code rollup}, {@code retention}, {@code release}) find the collector's data. */
final class StoreOptions {

    /** The data folder when none is given. */
    static final Path DEFAULT_DATA = Path.of("./candor-data");

    @Option(names = "--data", paramLabel = "DIR", description = "The collector's data folder (default: candor-data in the current folder).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "The collector's PostgreSQL database instead of --data (user and password from the URL, or "
                    + "CANDOR_DB_USER and CANDOR_DB_PASSWORD).")
    String db;

    /**
     * Opens the store; a folder without collector data or a URL that is not PostgreSQL's is an
     * IllegalArgumentException saying what to do.
     */
    ReportStore open() {
        if (db != null && data != null) {
            throw new IllegalArgumentException("give either --data (the SQLite folder) or --db (a PostgreSQL database), "
                    + "not both: they are two different stores");
        }
        Path folder = data != null ? data : DEFAULT_DATA;
        if (db == null && !Files.isRegularFile(folder.resolve(SqliteReportStore.DATABASE_FILE))) {
            throw new IllegalArgumentException("no collector data in " + folder.toAbsolutePath().normalize()
                    + " (no " + SqliteReportStore.DATABASE_FILE + "); pass the folder that `candor serve --data` uses");
        }
        return ReportStore.open(folder, db, System.getenv(), Duration.ofSeconds(30), nanos -> { });
    }
}
