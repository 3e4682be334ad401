package dev.candor.internal.record;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.json.Json;
import dev.candor.internal.json.JsonException;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One process's cumulative counts for one period and mode, as stored in
 * {@code <state>/counts/<period>/<process>.<mode>.json}:
 * <pre>{"v":1,"app":"acme","catalog_sha256":"…","period":"2026-11-24","mode":"on",
 *  "counts":{"command_run":[{"cell":["convert","true","1s-5s"],"n":4}]}}</pre>
 * A run that ended before it made its recorder writes each cell by name instead, as {@code
 * {"cell":{"command":"convert","success":"true","duration":"1s-5s"},"n":4}}, and no {@code catalog_sha256}
 * ({@link ShortRunCounts}), once, directly. A recorder's file is written whole to a temporary file and renamed
 * into place, so a reader sees the previous or the new version, never half of one. Reading checks everything: a file that is not such a document
 * is refused with an {@code IOException} saying why, as an unreadable one is (its reader skips it); cells that the
 * current catalog no longer has (after an upgrade) are skipped.
 */
public final class CounterFile {
    private CounterFile() {
    }

    static byte[] encode(Catalog catalog, String period, Mode mode, CellTotals totals) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("v", 1);
        doc.put("app", catalog.app());
        doc.put("catalog_sha256", catalog.sha256());
        doc.put("period", period);
        doc.put("mode", StateDirectory.modeName(mode));
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Map.Entry<String, Map<List<String>, Long>> e : totals.asMap().entrySet()) {
            List<Object> cells = new ArrayList<>();
            for (Map.Entry<List<String>, Long> c : e.getValue().entrySet()) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("cell", new ArrayList<Object>(c.getKey()));
                cell.put("n", c.getValue());
                cells.add(cell);
            }
            counts.put(e.getKey(), cells);
        }
        doc.put("counts", counts);
        return Json.write(doc).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The largest counter file read, in bytes (16 MiB): far above what a catalog's cells can fill (a few
     * hundred KiB at most), and small enough that a stray huge file in the state folder costs the merge's
     * thread no more than that much memory. A larger file is refused unread.
     */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** Reads a counter file, checking that it belongs to this app, period and mode. */
    static CellTotals read(Path file, Catalog catalog, String period, Mode mode) throws IOException {
        if (!Files.isRegularFile(file) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a regular file"); // a named pipe would block the reader for ever
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES / (1024 * 1024) + " MiB, which no counter file is");
        }
        byte[] bytes = Files.readAllBytes(file);
        Object parsed;
        try {
            parsed = Json.parse(bytes);
        } catch (JsonException e) {
            throw new IOException("not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new IOException("not a JSON object");
        }
        Map<?, ?> doc = (Map<?, ?>) parsed;
        expect(doc, "v", 1L);
        expect(doc, "app", catalog.app());
        expect(doc, "period", period);
        expect(doc, "mode", StateDirectory.modeName(mode));
        if (doc.containsKey("catalog_sha256") && !(doc.get("catalog_sha256") instanceof String)) {
            throw new IOException("catalog_sha256 is not a string");
        }
        if (!(doc.get("counts") instanceof Map)) {
            throw new IOException("no counts object");
        }
        CellTotals totals = new CellTotals();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) doc.get("counts")).entrySet()) {
            if (!(e.getValue() instanceof List)) {
                throw new IOException("counts." + e.getKey() + " is not an array");
            }
            EventSpec event = catalog.event((String) e.getKey());
            for (Object item : (List<?>) e.getValue()) {
                if (!(item instanceof Map)) {
                    throw new IOException("a cell of " + e.getKey() + " is not an object");
                }
                Object cell = ((Map<?, ?>) item).get("cell");
                Object n = ((Map<?, ?>) item).get("n");
                if (!(cell instanceof List || cell instanceof Map) || !(n instanceof Long) || (Long) n < 0) {
                    throw new IOException("a cell of " + e.getKey() + " lacks \"cell\" or a count");
                }
                List<String> values = cell instanceof List ? strings((List<?>) cell, e.getKey())
                        : inFieldOrder(event, (Map<?, ?>) cell, e.getKey());
                if (event != null && values != null && fits(event, values, catalog)) {
                    totals.add(event.name(), values, (Long) n);
                }
            }
        }
        return totals;
    }

    /**
     * The {@code app} a counter file or a report in the state folder names, or null when the file cannot be read,
     * is not a regular file, is larger than {@link #MAX_BYTES}, or is not a JSON object naming an app as a string.
     * Apps given the same folder share it: each leaves alone the files that name another app, and removes as
     * foreign only those that name none. Never throws.
     */
    public static String appOf(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return null;
            }
            Object parsed = Json.parse(Files.readAllBytes(file));
            Object app = parsed instanceof Map ? ((Map<?, ?>) parsed).get("app") : null;
            return app instanceof String ? (String) app : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True when {@code file} names an app, and not {@code app} ({@link #appOf}): another app's file, left alone. */
    public static boolean isOtherApps(Path file, String app) {
        String owner = appOf(file);
        return owner != null && !owner.equals(app);
    }

    private static List<String> strings(List<?> cell, Object event) throws IOException {
        List<String> values = new ArrayList<>();
        for (Object v : cell) {
            if (!(v instanceof String)) {
                throw new IOException("a cell value of " + event + " is not a string");
            }
            values.add((String) v);
        }
        return values;
    }

    /**
     * A cell written by name ({@link ShortRunCounts}) as values in the event's field order; null when the
     * catalog has no such event or the names do not fit it (skipped, as any cell the catalog lacks).
     */
    private static List<String> inFieldOrder(EventSpec spec, Map<?, ?> cell, Object event) throws IOException {
        String[] pairs = new String[2 * cell.size()];
        int i = 0;
        for (Map.Entry<?, ?> field : cell.entrySet()) {
            if (!(field.getValue() instanceof String)) {
                throw new IOException("a cell value of " + event + " is not a string");
            }
            pairs[i++] = (String) field.getKey();
            pairs[i++] = (String) field.getValue();
        }
        String[] values = spec == null ? null : Recorder.values(spec, pairs, false);
        return values == null ? null : Arrays.asList(values);
    }

    private static boolean fits(EventSpec event, List<String> values, Catalog catalog) {
        try {
            event.cellIndex(values.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            return false;
        }
        int at = event.errorTypeField();
        return at < 0 || ErrorTypes.isAllowedValue(values.get(at), catalog.packages());
    }

    private static void expect(Map<?, ?> doc, String key, Object value) throws IOException {
        if (!value.equals(doc.get(key))) {
            throw new IOException("\"" + key + "\" is " + doc.get(key) + ", expected " + value);
        }
    }

    /** Tells temporary files of this process apart from each other; seeded differently in every process. */
    private static final Random TEMPORARY_NAMES = new Random();

    /**
     * Writes {@code bytes} to {@code target} atomically, so that a reader in any process sees the old file or
     * the new one, never half of one: into {@code tmpDir} first (the target's own folder, or {@code <state>/tmp}),
     * as {@code .<name>.<random>.tmp}, a name every reader of the state folder skips, then renamed over the
     * target. With {@code durable}, the data reaches the disk before the rename. This is how the SDK writes
     * every file it writes (the state folder's, and the config file). {@code java.io} (whose classes every JVM
     * has loaded already) rather than channels: this runs when a short-lived app closes; and a
     * {@code java.util.Random} for the names, not {@code Files.createTempFile}, whose {@code SecureRandom}
     * costs an app's start dearly.
     */
    public static void writeAtomically(Path target, byte[] bytes, Path tmpDir, boolean durable) throws IOException {
        File dir = directory(tmpDir);
        directory(target.toAbsolutePath().getParent());
        File tmp;
        do {
            tmp = new File(dir, "." + target.getFileName() + "." + Long.toHexString(TEMPORARY_NAMES.nextLong()) + ".tmp");
        } while (!tmp.createNewFile());
        try {
            try (FileOutputStream out = new FileOutputStream(tmp)) {
                out.write(bytes);
                if (durable) {
                    out.getFD().sync();
                }
            }
            File to = target.toFile();
            if (!tmp.renameTo(to)) { // rename(2) on Unix: atomic, and replaces the target
                try {
                    Files.move(tmp.toPath(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            if (tmp.exists()) {
                tmp.delete(); // if this fails too, every reader skips it (in tmp/ and outbox/, removed once an hour old)
            }
        }
    }

    /** The folder, created with its parents when missing. */
    private static File directory(Path path) throws IOException {
        File dir = path.toFile();
        if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
            throw new IOException("cannot create the folder " + dir);
        }
        return dir;
    }
}
