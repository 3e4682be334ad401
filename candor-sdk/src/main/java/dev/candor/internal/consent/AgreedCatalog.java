package dev.candor.internal.consent;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.record.CounterFile;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What the user agreed that the app may collect, and so what a newer catalog may record before they
 * are asked again (DESIGN §3's catalog, docs/CATALOG.md "When the catalog changes").
 *
 * <p>The record is an exact copy of the catalog the user last agreed to, {@code <state>/agreed-catalog.json},
 * read with the catalog's own strict parser; {@code <state>/declined-catalog} holds the SHA-256 of a catalog
 * whose new items the user declined, so that they are not asked again for it. They are written on a yes
 * ({@code telemetry enable|local}, the what's-new question), on a no to the what's-new question, when a
 * recording run finds no record (after the first-run question, or for consent from before the record
 * existed), and, without a question, when nothing of the current catalog waits (below). The first-run notice
 * shown without a terminal names its catalog's SHA-256 in its marker instead: if the catalog differs by the
 * next run, every item waits for the user's OK. Every write to these files holds {@code <state>/agreed.lock}.
 *
 * <p>No record yet means a user whose consent predates the record (or came from a variable, a flag or the
 * user-wide file): the current catalog counts as agreed and is written down, since it is what the notice and
 * {@code telemetry what} showed them. A record that cannot be read or parsed, or belongs to another app,
 * counts as agreeing to nothing: nothing is recorded until the user says yes again, because guessing
 * could record something they never saw. Reading never writes.
 *
 * <p>A version whose catalog only removes items (an older version run again, or a newer one that dropped an
 * event) asks nothing and becomes the record, so that its later starts take the quick path. What it replaced
 * is kept, once, in {@code <state>/agreed-catalog-earlier.json}: when a later catalog waits for items against
 * the record but for none against that earlier copy (going back to the newer version), the user agreed to all
 * of it before and is not asked again; it then becomes the record too. A yes or a no to a catalog, and
 * {@code telemetry disable}, forget the earlier copy first, without waiting for the lock (forgetting only narrows).
 */
public final class AgreedCatalog {
    /** The record's name in the state folder (a constant: naming it does not load this class). */
    public static final String FILE = "agreed-catalog.json";
    static final String DECLINED_FILE = "declined-catalog";
    static final String EARLIER_FILE = "agreed-catalog-earlier.json";
    static final String LOCK_FILE = "agreed.lock";
    /**
     * How long a change waits for another process's (a few small writes) before it gives up and writes nothing;
     * a start that records without asking can wait this long when another process holds the lock.
     */
    static final long LOCK_WAIT_MILLIS = 250;
    static final String NOTICE_CATALOG = "catalog_sha256=";
    /** The most bytes read from any of these small files. */
    static final int MAX_BYTES = 1024 * 1024;

    private final boolean recorded;
    private final boolean current;
    private final Catalog recordable;
    /** Null when nothing changed: a start that finds the agreed catalog current never loads {@code CatalogDiff}. */
    private final CatalogDiff changes;
    private final boolean declined;
    private final String problem;
    /** The record as read (null: none), and the earlier copy when it decided what is agreed (else null). */
    private final byte[] recordRead;
    private final byte[] earlierRead;
    /** The app the record belongs to when it is another app's (both were given the same folder), else null. */
    private String otherApp;

    private AgreedCatalog(boolean recorded, boolean current, Catalog recordable, CatalogDiff changes, boolean declined,
                          String problem, byte[] recordRead, byte[] earlierRead) {
        this.recorded = recorded;
        this.current = current;
        this.recordable = recordable;
        this.changes = changes;
        this.declined = declined;
        this.problem = problem;
        this.recordRead = recordRead;
        this.earlierRead = earlierRead;
    }

    /** The record of the app at {@code paths} compared with the app's {@code catalog}; never throws. */
    public static AgreedCatalog read(TelemetryPaths paths, Catalog catalog, Consumer<String> trace) {
        Path file = file(paths);
        byte[] bytes;
        try {
            bytes = readIfExists(file);
        } catch (IOException | RuntimeException e) {
            return unreadable(paths, catalog, file + " cannot be read (" + e.getMessage() + ")", trace);
        }
        if (bytes == null) {
            String shown = noticeCatalog(paths);
            if (shown != null && !shown.equals(catalog.sha256())) {
                trace.accept("agreed catalog: no record, and the first-run notice " + (shown.isEmpty()
                        ? "marker names no catalog (" + paths.noticeMarker() + ")" : "showed another catalog")
                        + "; every item waits for your OK");
                return new AgreedCatalog(false, false, CatalogDiff.agreedPart(catalog, null),
                        CatalogDiff.between(null, catalog), isDeclined(paths, catalog), null, null, null);
            }
            trace.accept("agreed catalog: no record yet (" + file + "); the current catalog counts as agreed");
            return new AgreedCatalog(false, true, catalog, null, false, null, null, null);
        }
        if (catalog.isFile(bytes)) {
            trace.accept("agreed catalog: the current one (" + file + ")");
            return new AgreedCatalog(true, true, catalog, null, false, null, bytes, null);
        }
        Catalog agreed;
        try {
            agreed = CatalogParser.parse(bytes, file.toString());
        } catch (CatalogException | RuntimeException e) {
            return unreadable(paths, catalog, e.getMessage(), trace);
        }
        if (!agreed.app().equals(catalog.app())) {
            AgreedCatalog other = unreadable(paths, catalog, file + " is the catalog of \"" + agreed.app()
                    + "\", not of \"" + catalog.app() + "\" (the two apps were given the same folder)", trace);
            other.otherApp = agreed.app();
            return other;
        }
        CatalogDiff diff = CatalogDiff.between(agreed, catalog);
        if (diff.waitingCount() > 0) {
            AgreedCatalog before = agreedEarlier(paths, catalog, bytes, trace);
            if (before != null) {
                return before;
            }
        }
        boolean declined = isDeclined(paths, catalog);
        trace.accept("agreed catalog: an earlier one (" + file + "); changes since: "
                + (diff.isEmpty() ? "none that matter" : diff.toString().strip().replace('\n', ';'))
                + (declined ? "; the user declined the new items of this version" : ""));
        return new AgreedCatalog(true, false, CatalogDiff.agreedPart(catalog, agreed), diff, declined, null, bytes, null);
    }

    /**
     * The current catalog as agreed when the copy kept before a version that only removed items asks nothing of
     * it, or null (no such copy, one that cannot be used, or one that still leaves items waiting).
     */
    private static AgreedCatalog agreedEarlier(TelemetryPaths paths, Catalog catalog, byte[] record,
                                               Consumer<String> trace) {
        Path file = paths.stateDirectory().resolve(EARLIER_FILE);
        Catalog earlier;
        byte[] bytes;
        try {
            bytes = readIfExists(file);
            if (bytes == null) {
                return null;
            }
            earlier = CatalogParser.parse(bytes, file.toString());
        } catch (IOException | CatalogException | RuntimeException e) {
            trace.accept("agreed catalog: the earlier copy " + file + " is of no use (" + e.getMessage() + ")");
            return null;
        }
        if (!earlier.app().equals(catalog.app())) {
            return null;
        }
        CatalogDiff diff = CatalogDiff.between(earlier, catalog);
        if (diff.waitingCount() > 0) {
            return null;
        }
        trace.accept("agreed catalog: every item the record lacks was agreed before a version that removed it ("
                + file + "); nothing waits");
        return new AgreedCatalog(true, false, CatalogDiff.agreedPart(catalog, earlier), diff, false, null, record, bytes);
    }

    private static AgreedCatalog unreadable(TelemetryPaths paths, Catalog catalog, String why, Consumer<String> trace) {
        String problem = why + "; nothing is recorded until you agree to the current catalog again ("
                + paths.app() + " telemetry enable)";
        trace.accept("agreed catalog: " + problem);
        return new AgreedCatalog(true, false, CatalogDiff.agreedPart(catalog, null), CatalogDiff.between(null, catalog),
                isDeclined(paths, catalog), problem, null, null);
    }

    /**
     * Records {@code catalogBytes} (the exact catalog file the user agreed to) as agreed and forgets any
     * declined version and the earlier copy, writing under the lock. The earlier copy goes first, before the lock: a crash or a failure
     * on the way leaves no copy wider than this yes. Each write is atomic.
     *
     * @throws IOException also when {@code catalogBytes} are not the bytes of {@code catalog}
     */
    public static void save(TelemetryPaths paths, Catalog catalog, byte[] catalogBytes) throws IOException {
        if (!catalog.isFile(catalogBytes)) {
            throw new IOException("the catalog on the class path is not the one this run read");
        }
        forget(paths, EARLIER_FILE); // first, and even when the lock cannot be had: forgetting only narrows
        synchronized (AgreedCatalog.class) {
            FileChannel lock = lock(paths);
            try {
                CounterFile.writeAtomically(file(paths), catalogBytes, paths.stateDirectory(), false);
                forget(paths, DECLINED_FILE);
            } finally {
                lock.close();
            }
        }
    }

    /**
     * Records {@code catalogBytes} as agreed without a yes, when nothing of it waits and the record is not it: a
     * catalog that only removes items from the record, or one the earlier copy covers. The record it replaces
     * becomes the earlier copy, unless one is kept already (a catalog that only removes items holds less than
     * that one too). Under the lock, and only if the record and the earlier copy this decision rested on are
     * still what {@link #read} found: another process's yes or no meanwhile wins. A crash between the two writes
     * leaves the old record and a copy of it.
     *
     * @return false when nothing was written (something waits, or the files changed since they were read)
     * @throws IOException also when {@code catalogBytes} are not the bytes of {@code catalog}
     */
    public boolean recordWithoutAsking(TelemetryPaths paths, Catalog catalog, byte[] catalogBytes) throws IOException {
        if (!catalog.isFile(catalogBytes)) {
            throw new IOException("the catalog on the class path is not the one this run read");
        }
        if (current || waitingCount() > 0) {
            return false;
        }
        Path earlier = paths.stateDirectory().resolve(EARLIER_FILE);
        synchronized (AgreedCatalog.class) {
            FileChannel lock = lock(paths);
            try {
                byte[] record = readIfExists(file(paths));
                if (!Arrays.equals(record, recordRead)
                        || earlierRead != null && !Arrays.equals(readIfExists(earlier), earlierRead)) {
                    return false;
                }
                if (record != null && !earlier.toFile().exists()) {
                    CounterFile.writeAtomically(earlier, record, paths.stateDirectory(), false);
                }
                CounterFile.writeAtomically(file(paths), catalogBytes, paths.stateDirectory(), false);
                return true;
            } finally {
                lock.close();
            }
        }
    }

    /**
     * Remembers that the user declined the new items of {@code catalog}: not asked again for it. Forgets the
     * earlier copy first, even when the lock cannot be had: what the user just said no to may not come back
     * through it. The declined marker is written under the lock.
     */
    public static void saveDeclined(TelemetryPaths paths, Catalog catalog) throws IOException {
        forget(paths, EARLIER_FILE); // first, and even when the lock cannot be had: forgetting only narrows
        synchronized (AgreedCatalog.class) {
            FileChannel lock = lock(paths);
            try {
                CounterFile.writeAtomically(paths.stateDirectory().resolve(DECLINED_FILE),
                        (catalog.sha256() + "\n").getBytes(StandardCharsets.UTF_8), paths.stateDirectory(), false);
            } finally {
                lock.close();
            }
        }
    }

    /** Forgets the earlier copy (telemetry switched off by the user's command); needs no lock, as it only narrows. */
    public static void forgetEarlier(TelemetryPaths paths) throws IOException {
        forget(paths, EARLIER_FILE); // no lock needed: forgetting only narrows what is agreed
    }

    private static void forget(TelemetryPaths paths, String name) throws IOException {
        File file = paths.stateDirectory().resolve(name).toFile();
        if (file.exists() && !file.delete()) {
            throw new IOException("cannot remove " + file);
        }
    }

    /**
     * Locks {@code <state>/agreed.lock} against every other process changing these files, waiting at most
     * {@link #LOCK_WAIT_MILLIS}; within this JVM the callers hold the class's monitor, as file locks are per
     * process. Closing the channel gives the lock back. Known limit: a second copy of the SDK in the same JVM,
     * under another class loader, has its own monitor, and its failed attempt (OverlappingFileLockException)
     * closes a channel of its own, which releases the process's lock early.
     *
     * @throws IOException also when another process holds it that long
     */
    private static FileChannel lock(TelemetryPaths paths) throws IOException {
        Path file = paths.stateDirectory().resolve(LOCK_FILE);
        Files.createDirectories(paths.stateDirectory());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long deadline = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000L;
            while (channel.tryLock() == null) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("another process has held " + file + " for over " + LOCK_WAIT_MILLIS + " ms");
                }
                Thread.sleep(10);
            }
            return channel;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new IOException("interrupted while waiting for " + file);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The SHA-256 of the catalog the first-run notice listed, from its marker; null when there is no marker, and
     * "" when there is one that names no catalog (damaged, or not a file the SDK wrote): that agrees to nothing,
     * as an unreadable record does, since guessing could record something the notice never showed.
     */
    private static String noticeCatalog(TelemetryPaths paths) {
        try {
            byte[] marker = readIfExists(paths.noticeMarker());
            if (marker == null) {
                return null;
            }
            for (String line : new String(marker, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(NOTICE_CATALOG)) {
                    return line.substring(NOTICE_CATALOG.length()).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a regular file, or unreadable
        }
        return "";
    }

    /** {@code <state>/agreed-catalog.json}. */
    public static Path file(TelemetryPaths paths) {
        return paths.stateDirectory().resolve(FILE);
    }

    /** False when no record exists yet (the current catalog then counts as agreed; see the class comment). */
    public boolean recorded() {
        return recorded;
    }

    /** True when the record is the current catalog, byte for byte, or there is no record yet. */
    public boolean current() {
        return current;
    }

    /** What may be recorded now: the current catalog, or the part of it the user agreed to. */
    public Catalog recordable() {
        return recordable;
    }

    /** What changed since the agreed catalog (everything, when the record is unreadable). */
    public CatalogDiff changes() {
        return changes == null ? CatalogDiff.none() : changes;
    }

    /** How many items wait for the user's OK. */
    public int waitingCount() {
        return changes == null ? 0 : changes.waitingCount();
    }

    /** True when the user already declined the new items of this very catalog. */
    public boolean declined() {
        return declined;
    }

    /** Why the record could not be used, or null. */
    public String problem() {
        return problem;
    }

    /**
     * The app whose catalog the record is, when it is not this app's: two apps were given the same state folder
     * (the same {@code <APP>_TELEMETRY_DIR}), and this one records nothing until it agrees again. Else null.
     */
    public String otherApp() {
        return otherApp;
    }

    private static boolean isDeclined(TelemetryPaths paths, Catalog catalog) {
        try {
            byte[] declined = readIfExists(paths.stateDirectory().resolve(DECLINED_FILE));
            return declined != null && new String(declined, StandardCharsets.UTF_8).strip().equals(catalog.sha256());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The file's bytes, or null when there is no such file. {@code java.io}, not {@code Files}: this runs at
     * every start, and {@code Files.readAllBytes} loads the NIO channel classes (about 25) for it. A file
     * over {@link #MAX_BYTES} is refused unread (a catalog is a few kilobytes): a stray huge file in the
     * state folder must not cost the app its start time or its memory. Nor is anything but a regular file
     * opened: opening a named pipe would wait, with the app, for a writer that never comes.
     */
    private static byte[] readIfExists(Path path) throws IOException {
        File file = path.toFile();
        if (!file.isFile()) {
            if (file.exists()) {
                throw new IOException(path + " is not a regular file");
            }
            return null;
        }
        try (FileInputStream in = new FileInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES / 1024 + " KiB, which no catalog is");
            }
            return bytes;
        }
    }
}
