package dev.candor.server.stats;

import dev.candor.server.FailureReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Numbers kept as stats-API JSON files in a folder, one file per period and breakdown:
 * <pre>
 * &lt;dir&gt;/&lt;app&gt;/releases/&lt;period&gt;/&lt;by&gt;.json   a frozen release, exactly as GET …/stats returns it
 * &lt;dir&gt;/&lt;app&gt;/rollups/&lt;period&gt;/&lt;by&gt;.json    exact numbers of a period (maintainer only)
 * &lt;dir&gt;/&lt;app&gt;/ledger.json                    the ledger, as GET …/ledger returns it
 * </pre>
 * Tests use it with fixtures; it is also a way to look at an exported release offline.
 * Reads the files on every call, so it always shows what is on disk.
 */
public final class JsonFilesStatsSource implements StatsSource {

    private final Path dir;

    public JsonFilesStatsSource(Path dir) {
        this.dir = dir;
    }

    /** The apps that have a folder here, sorted. */
    public List<String> apps() {
        return subfolders(dir);
    }

    @Override
    public List<String> releasedPeriods(String app) {
        return subfolders(dir.resolve(app).resolve("releases"));
    }

    @Override
    public Optional<StatsRelease> release(String app, String period, String by) {
        return readRelease(dir.resolve(app).resolve("releases").resolve(period).resolve(by + ".json"));
    }

    @Override
    public List<LedgerEntry> ledger(String app) {
        Path file = dir.resolve(app).resolve("ledger.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return StatsJson.parseLedger(read(file), file.toString());
    }

    @Override
    public List<String> unreleasedPeriods(String app) {
        List<String> periods = new ArrayList<>(subfolders(dir.resolve(app).resolve("rollups")));
        periods.removeAll(releasedPeriods(app));
        return periods;
    }

    @Override
    public Optional<StatsRelease> rollup(String app, String period, String by) {
        return readRelease(dir.resolve(app).resolve("rollups").resolve(period).resolve(by + ".json"));
    }

    private static Optional<StatsRelease> readRelease(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(StatsJson.parseRelease(read(file), file.toString()));
    }

    private static List<String> subfolders(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent + ": " + FailureReason.of(e, parent), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + FailureReason.of(e, file), e);
        }
    }
}
