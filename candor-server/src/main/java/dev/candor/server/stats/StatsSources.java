package dev.candor.server.stats;

import dev.candor.server.FailureReason;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReadOnlySqlite;
import dev.candor.server.store.SqliteReportStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the {@link StatsSource} behind a collector's data folder, for the commands that take {@code --data DIR}. */
public final class StatsSources {

    private StatsSources() {
    }

    /**
     * The numbers stored under {@code dir}: the collector's database when the folder holds one, opened
     * to read only ({@link ReadOnlySqlite}: safe while {@code candor serve} runs, as SQLite lets readers in
     * beside the writer, and on a folder this user may not write), else a folder
     * of stats-API JSON files ({@link JsonFilesStatsSource}'s layout). The caller closes the result's
     * store through {@link Opened#close()}.
     *
     * @throws IllegalArgumentException naming the folder when it holds neither
     */
    public static Opened forDataDir(Path dir) {
        if (Files.isRegularFile(dir.resolve(SqliteReportStore.DATABASE_FILE))) {
            ReadOnlySqlite database = ReadOnlySqlite.open(dir);
            return new Opened(new StoreStatsSource(new ReleaseLedger(database.dataSource()),
                    new RollupStore(database.dataSource()), database::apps), database);
        }
        if (Files.isDirectory(dir)) {
            return new Opened(new JsonFilesStatsSource(dir), null);
        }
        throw new IllegalArgumentException("no data folder at " + dir.toAbsolutePath()
                + "; give the folder `candor serve --data` uses, or --url of a running collector");
    }

    /** A source and what to close when done with it. */
    public record Opened(StatsSource source, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close " + resource + ": " + FailureReason.of(e), e);
                }
            }
        }
    }
}
