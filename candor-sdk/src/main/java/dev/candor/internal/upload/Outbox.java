package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.context.SdkLog;
import dev.candor.internal.json.Json;
import dev.candor.internal.json.JsonException;
import dev.candor.internal.record.CounterFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The reports of one app waiting to be sent: {@code <state>/outbox/<period>_<report_id>.json},
 * each holding the exact wire-format bytes, and the copies of those that left the machine,
 * {@code <state>/sent/} (the last {@value #SENT_KEPT}, so that {@code telemetry show --sent} displays
 * exactly what was sent). It exists to keep the promise that the outbox stays small and harmless
 * whatever happens to the machine:
 * <ul>
 *   <li>at most {@value #MAX_REPORTS} reports and {@value #MAX_BYTES} bytes in total; beyond that
 *       the oldest are removed first;</li>
 *   <li>a report whose period ended more than {@value #MAX_AGE_DAYS} days ago is removed and never sent;</li>
 *   <li>a file that is not a report of this app is removed, never fatal, never sent: it must be strict
 *       UTF-8 JSON (read by {@link Json}) holding an object whose {@code v} is 1, whose {@code app} is
 *       this app, whose {@code period} and {@code report_id} match the file name, and which has
 *       {@code counts} (so a truncated write, a file a future SDK left, or garbage is removed); the rest of
 *       the report's shape is the record package's to build and the collector's to validate against the
 *       catalog. A report that names another app (given the same folder) is that app's: left alone, never
 *       sent, not counted in the bounds;</li>
 *   <li>a file being written is invisible until complete: writers write a temporary name
 *       ({@code .<name>….tmp}) and rename it in one step ({@link #writeAtomically}); temporary files
 *       are ignored, and removed only once abandoned for an hour.</li>
 * </ul>
 * Safe to use from several threads and processes at once: every decision is made on a snapshot
 * of the directory, and removing a file another process already removed is not an error.
 * No method throws on a damaged directory; {@link #writeAtomically} is the only method that reports I/O errors.
 */
public final class Outbox {
    /** At most this many reports wait in the outbox. */
    public static final int MAX_REPORTS = 30;
    /** At most this many bytes of reports wait in the outbox (1 MiB). */
    public static final long MAX_BYTES = 1024 * 1024;
    /** A report whose period ended more than this many days ago is never sent. */
    public static final int MAX_AGE_DAYS = 21;
    /** A temporary file untouched for this long belongs to a writer that died; it is removed. */
    static final long ABANDONED_TEMPORARY_MILLIS = 60 * 60 * 1000L;
    /** The wire format this SDK sends (DESIGN §5). */
    static final long WIRE_VERSION = 1;
    /** How many copies of sent reports are kept. */
    public static final int SENT_KEPT = 30;
    private static final long DAY_MILLIS = 86_400_000L;

    private final Path state;
    private final Path directory;
    private final String app;
    private final Catalog.Period period;
    private final Clock clock;

    /**
     * The outbox in {@code <stateDirectory>/outbox} of the app named {@code app}, whose catalog's
     * reports cover {@code period} (a day, or a week named by its Monday). Does no I/O.
     */
    public Outbox(Path stateDirectory, String app, Catalog.Period period, Clock clock) {
        this.state = stateDirectory;
        this.directory = stateDirectory.resolve("outbox");
        this.app = Objects.requireNonNull(app, "app");
        this.period = Objects.requireNonNull(period, "period");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code <state>/outbox}. */
    public Path directory() {
        return directory;
    }

    /** {@code <state>/sent}. */
    Path sentDirectory() {
        return state.resolve("sent");
    }

    /**
     * Writes a file so that a reader in any process sees either nothing or the whole file: the bytes
     * go to a temporary sibling named {@code .<name>.<random>.tmp}, which is then renamed over the
     * target in one step ({@code CounterFile.writeAtomically}, the SDK's one atomic write). Readers of the
     * state directory ignore such temporary names (see {@link ReportFile#isTemporary}); every writer of
     * {@code outbox/} must follow the same rule.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        try {
            CounterFile.writeAtomically(target, bytes, directory, false);
        } catch (NoSuchFileException e) {
            // A reader took our temporary file for an abandoned one (clocks disagree); write it again.
            CounterFile.writeAtomically(target, bytes, directory, false);
        }
    }

    /**
     * Whether any file in the outbox is named like a report, judged by name only. Cheap (one
     * directory listing, nothing read), never throws, and loads nothing network-related: the
     * uploader asks this before doing anything else.
     */
    public boolean hasReports() {
        for (Path entry : list(directory)) {
            if (ReportFile.isReportName(entry.getFileName().toString())) {
                return true;
            }
        }
        return false;
    }

    /** What {@code directory} holds, or nothing when it does not exist or cannot be listed (said at DEBUG). */
    static List<Path> list(Path directory) {
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                for (Path entry : stream) {
                    entries.add(entry);
                }
            } catch (IOException | RuntimeException e) {
                SdkLog.log(DEBUG, "cannot list " + directory + ": " + e);
            }
        }
        return entries;
    }

    /**
     * Reads the outbox, removes what must not stay (see the class comment) and returns the reports
     * that may be sent, oldest first, within the outbox's bounds. Each file it removes is added to
     * {@code removed}, {@link ReportOutcome#DROPPED} with its reason. Never throws.
     */
    public List<ReportFile> scan(List<ReportOutcome> removed) {
        List<ReportFile> candidates = reports(directory, this, removed);
        long total = 0;
        for (ReportFile report : candidates) {
            total += report.size();
        }
        int first = 0;
        while (candidates.size() - first > MAX_REPORTS || total > MAX_BYTES) {
            ReportFile oldest = candidates.get(first++);
            total -= oldest.size();
            remove(oldest.path(), removed, oldest.fileName(), candidates.size() - first >= MAX_REPORTS
                    ? "the outbox holds more than " + MAX_REPORTS + " reports; the oldest go first"
                    : "the outbox holds more than 1 MiB of reports; the oldest go first");
        }
        return new ArrayList<>(candidates.subList(first, candidates.size()));
    }

    /** Removes a report that was sent or that the collector will never take. Never throws. */
    void delete(ReportFile report) {
        try {
            Files.deleteIfExists(report.path());
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot remove " + report.path() + ": " + e);
        }
    }

    private ReportFile inspect(Path entry, long today, List<ReportOutcome> removed) throws IOException {
        String fileName = entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
            return null;
        }
        if (ReportFile.isTemporary(fileName)) {
            // File times come from the real clock, so the real clock judges them (not the injected one).
            if (System.currentTimeMillis() - Files.getLastModifiedTime(entry).toMillis() > ABANDONED_TEMPORARY_MILLIS) {
                remove(entry, removed, fileName, "a write that never finished");
            }
            return null;
        }
        if (!ReportFile.isReportName(fileName)) {
            remove(entry, removed, fileName, "not a report file (expected <period>_<report_id>.json)");
            return null;
        }
        if (CounterFile.isOtherApps(entry, app)) {
            // another app given the same folder: its to send or remove, unless too old for any app (a week's margin)
            if (Catalog.Period.DAY.endMillis(fileName.substring(0, 10)) / DAY_MILLIS + MAX_AGE_DAYS + 7 < today) {
                remove(entry, removed, fileName, "a report of another app, its period ended long ago");
            }
            return null;
        }
        long lastDay;
        try {
            lastDay = period.endMillis(fileName.substring(0, 10)) / DAY_MILLIS - 1;
        } catch (IllegalArgumentException notAMonday) {
            remove(entry, removed, fileName, "not a report of " + app + ": " + notAMonday.getMessage());
            return null;
        }
        if (lastDay + MAX_AGE_DAYS < today) {
            remove(entry, removed, fileName, "its period ended more than " + MAX_AGE_DAYS + " days ago");
            return null;
        }
        ReportFile report = read(entry);
        if (report == null) {
            remove(entry, removed, fileName, Files.isRegularFile(entry) ? "larger than 1 MiB" : "not a regular file");
            return null;
        }
        String problem = problem(report);
        if (problem != null) {
            remove(entry, removed, fileName, "not a report of " + app + ": " + problem);
            return null;
        }
        return report;
    }

    /**
     * The report file at {@code entry}, or null when it is larger than {@link #MAX_BYTES} or not a regular file
     * (not read, then: a named pipe would block the reader for ever).
     */
    private static ReportFile read(Path entry) throws IOException {
        if (!Files.isRegularFile(entry)) {
            if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(entry.toString()); // removed by another process since the listing
            }
            return null;
        }
        if (Files.size(entry) > MAX_BYTES) {
            return null;
        }
        long modified = Files.getLastModifiedTime(entry).toMillis();
        return new ReportFile(entry, Files.readAllBytes(entry), modified);
    }

    /** {@code null} when {@code report} is a sendable report of this app (see the class comment), else why not. */
    private String problem(ReportFile report) {
        Object parsed;
        try {
            parsed = Json.parse(report.sharedBytes());
        } catch (JsonException e) {
            return "not JSON (" + e.reason() + " at line " + e.line() + ", column " + e.column() + ")";
        }
        if (!(parsed instanceof Map)) {
            return "not a JSON object";
        }
        Map<?, ?> json = (Map<?, ?>) parsed;
        Object version = json.get("v");
        if (!(version instanceof Long) || (Long) version != WIRE_VERSION) {
            return "wire format \"v\": " + Json.write(version) + ", this SDK sends only v " + WIRE_VERSION;
        }
        if (!app.equals(json.get("app"))) {
            return "it belongs to app " + Json.write(json.get("app"));
        }
        if (!report.period().equals(json.get("period"))) {
            return "its period " + Json.write(json.get("period")) + " does not match the file name";
        }
        if (!report.reportId().equals(json.get("report_id"))) {
            return "its report_id " + Json.write(json.get("report_id")) + " does not match the file name";
        }
        if (!(json.get("counts") instanceof Map)) {
            return "it has no \"counts\" object";
        }
        return null;
    }

    /**
     * The kept copies of {@code app}'s sent reports in {@code <stateDirectory>/sent}, in the order they were sent
     * (the most recent last). Files whose names are not report names are ignored, and so are a file larger than the
     * whole outbox may be (not read) and a copy that names another app (given the same folder). Never throws.
     */
    public static List<ReportFile> sentReports(Path stateDirectory, String app) {
        List<ReportFile> copies = new ArrayList<>();
        for (ReportFile copy : reports(stateDirectory.resolve("sent"), null, null)) {
            if (!CounterFile.isOtherApps(copy.path(), app)) {
                copies.add(copy);
            }
        }
        return copies;
    }

    /**
     * The reports in {@code folder}, read and sorted: for the outbox ({@code outbox} not null), those that
     * {@link #inspect} keeps, oldest period first; for {@code sent/}, each file named like a report, in the order
     * they were sent. A file another process removes meanwhile is left out.
     */
    private static List<ReportFile> reports(Path folder, Outbox outbox, List<ReportOutcome> removed) {
        List<ReportFile> reports = new ArrayList<>();
        long today = outbox == null ? 0 : Math.floorDiv(outbox.clock.millis(), DAY_MILLIS);
        for (Path entry : list(folder)) {
            try {
                ReportFile report = outbox != null ? outbox.inspect(entry, today, removed)
                        : ReportFile.isReportName(entry.getFileName().toString()) && !Files.isDirectory(entry) ? read(entry)
                        : null;
                if (report != null) {
                    reports.add(report);
                }
            } catch (NoSuchFileException e) {
                // Sent or removed by another process since the listing: not ours to judge any more.
            } catch (IOException | RuntimeException e) {
                SdkLog.log(DEBUG, "cannot read " + entry + ", skipped: " + e);
            }
        }
        ReportFile.sort(reports, outbox == null);
        return reports;
    }

    /**
     * Keeps a copy of {@code report}, exactly the bytes that were sent, then removes the oldest copies beyond
     * {@value #SENT_KEPT}. Never throws: a copy that cannot be written is logged and lost, it does not make a
     * sent report unsent.
     */
    void keepSent(ReportFile report) {
        try {
            writeAtomically(sentDirectory().resolve(report.fileName()), report.sharedBytes());
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot keep a copy of the sent report " + report.fileName() + ": " + e);
            return;
        }
        List<ReportFile> kept = sentReports(state, app);
        for (int i = 0; i < kept.size() - SENT_KEPT; i++) {
            try {
                Files.deleteIfExists(kept.get(i).path());
            } catch (IOException | RuntimeException e) {
                SdkLog.log(DEBUG, "cannot remove the old sent copy " + kept.get(i).path() + ": " + e);
            }
        }
    }

    private static void remove(Path entry, List<ReportOutcome> removed, String fileName, String reason) {
        try {
            Files.deleteIfExists(entry);
            removed.add(ReportOutcome.dropped(fileName, reason));
            SdkLog.log(DEBUG, "removed " + entry + ": " + reason);
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot remove " + entry + " (" + reason + "): " + e);
        }
    }
}
