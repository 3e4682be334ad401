package dev.candor.server.cli;

import dev.candor.server.store.SqliteReportStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the offline commands ({@code rollup}, {@code retention}, {@code release}) find the collector's data. */
final class StoreOptions {

    @Option(names = "--data", defaultValue = "./candor-data", paramLabel = "DIR",
            description = "The collector's data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "An external database instead of --data (PostgreSQL; not available yet).")
    String db;

    /** Opens the store; a missing folder or an external database is an IllegalArgumentException saying what to do. */
    SqliteReportStore open() {
        if (db != null) {
            throw new IllegalArgumentException("--db is not available yet; point --data at the collector's data folder");
        }
        if (!Files.isRegularFile(data.resolve(SqliteReportStore.DATABASE_FILE))) {
            throw new IllegalArgumentException("no collector data in " + data.toAbsolutePath().normalize()
                    + " (no " + SqliteReportStore.DATABASE_FILE + "); pass the folder that `candor serve --data` uses");
        }
        return SqliteReportStore.open(data);
    }
}
