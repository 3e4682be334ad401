package dev.candor.server.stats;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the {@link StatsSource} behind a collector's data folder, for the commands that take {@code --data DIR}. */
public final class StatsSources {

    private StatsSources() {
    }

    /**
     * The numbers stored under {@code dir}: a folder of stats-API JSON files
     * ({@link JsonFilesStatsSource}'s layout).
     *
     * @throws IllegalArgumentException naming the folder when it does not exist
     */
    public static StatsSource forDataDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no data folder at " + dir.toAbsolutePath()
                    + "; give the folder `candor serve --data` uses, or --url of a running collector");
        }
        return new JsonFilesStatsSource(dir);
    }
}
