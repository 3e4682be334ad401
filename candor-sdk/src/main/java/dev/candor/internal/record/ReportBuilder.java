package dev.candor.internal.record;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.context.SdkLog;
import dev.candor.internal.json.Json;
import dev.candor.internal.noise.DiscreteLaplace;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Builds reports in wire format v1 (DESIGN §5): one from an install's per-cell totals for a period
 * ({@link #build}), and, as an instance, the reports of the periods that closed, from the counter files
 * of every process ({@link #mergeClosedPeriods}). The SDK's merge and the collector's population
 * simulator both build reports here, so a simulated report is byte-for-byte the kind a real install sends.
 *
 * <p>What it promises: the keys {@code v, report_id, app, app_version, catalog_sha256, period,
 * context, noise, counts} in that order; every count clamped to the catalog's
 * {@code max_per_cell}; an error-type event holding at most {@value FieldType#ERROR_TYPE_LIMIT}
 * named error types (the most frequent; the rest, and any value that is not an allowed error
 * type, fold into {@code "other"}); events without noise sparse (non-zero cells only, events with
 * no count left out), in cell order; events with noise dense (every cell of the catalog file's event,
 * in cell order, values still waiting for the user's OK included), each count being the clamped count
 * plus discrete Laplace noise of scale 1/ε. A noised count may be
 * negative: it is kept as it is, because clipping at zero would bias every estimate upwards and
 * the collector sums many reports. Boolean field values are JSON booleans, others strings.
 * {@link #build} is stateless and thread-safe when the {@code Random} is.
 *
 * <p>The merge: for every period that closed at least a grace time ago, and each mode, it sums every
 * process's file into exactly one report, writes it to the outbox (mode on) or {@code local/} (mode local),
 * marks the period merged and removes what it merged. Exactly one report per (period, mode) holds even
 * when several processes merge at once: all of it happens under a {@link FileLock} on
 * {@code <state>/merge.lock} (and a lock within this JVM, since file locks are per process), and a period
 * that already has its marker or its report is never merged again. The steps are ordered so that a crash
 * at any point leaves at most one report: report (atomic rename), then marker, then removal. A corrupt or
 * foreign file is skipped and removed; a file of another app given the same folder is left to that app, and the
 * marker names each app that merged the period. Files of a period older than {@link #MAX_AGE_MILLIS} (60 days) are
 * removed without a report (it would be too old to send), and markers older than that are pruned. {@code local/}
 * keeps this app's last {@value #LOCAL_KEPT} reports, as {@code sent/} keeps the last copies of what was sent. When
 * there is nothing to merge, nothing is created, not even the lock file. A {@code Recorder} makes its
 * merger on the first merge that has something to do: most runs never load this class.
 */
public final class ReportBuilder {
    private static final long DAY_MILLIS = 86_400_000L;
    /** How many of this app's reports {@code local/} keeps: as many as {@code sent/} (Outbox.SENT_KEPT). */
    public static final int LOCAL_KEPT = 30;
    /** Periods (and their markers) older than this are dropped. */
    static final long MAX_AGE_MILLIS = 60 * DAY_MILLIS;
    private static final long LOCK_WAIT_MILLIS = 10_000;
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    /** The modes whose counts are merged, in the order their reports are built. */
    private static final Mode[] RECORDING_MODES = {Mode.ON, Mode.LOCAL};

    private final Catalog catalog;
    private final StateDirectory state;
    private final Clock clock;
    private final long graceMillis;
    private final Map<String, ?> context;
    private final String appVersion;
    private final Random random;
    private final Consumer<String> debug;

    /** A merger; {@code random} may be null: each merge that builds a report then draws from a fresh {@code SecureRandom}. */
    ReportBuilder(Catalog catalog, StateDirectory state, Clock clock, long graceMillis, Map<String, ?> context,
            String appVersion, Random random, Consumer<String> debug) {
        this.catalog = catalog;
        this.state = state;
        this.clock = clock;
        this.graceMillis = graceMillis;
        this.context = context;
        this.appVersion = appVersion;
        this.random = random;
        this.debug = debug;
    }

    /** Merges every closed period; returns the report files written. */
    List<Path> mergeClosedPeriods() throws IOException {
        long now = clock.millis();
        if (closedPeriods(now).isEmpty()) {
            return Collections.emptyList();
        }
        List<Path> written = new ArrayList<>();
        try {
            if (!JVM_LOCK.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return written;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return written;
        }
        try {
            Files.createDirectories(state.root());
            try (FileChannel channel = FileChannel.open(state.mergeLock(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = acquire(channel)) {
                if (lock == null) {
                    return written;
                }
                // Listed again under the lock: another process may have merged meanwhile.
                for (String period : closedPeriods(now)) {
                    mergePeriod(period, now, written);
                }
                pruneMarkers(now);
                pruneLocalReports();
                removeStaleTemporaryFiles();
            }
        } finally {
            JVM_LOCK.unlock();
        }
        return written;
    }

    private FileLock acquire(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                SdkLog.log(Level.DEBUG, "candor: another process holds the merge lock; merging later");
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void mergePeriod(String period, long now, List<Path> written) throws IOException {
        Path dir = state.counts(period);
        List<Path> on = new ArrayList<>();
        List<Path> local = new ArrayList<>();
        // another app's files outlive its age rule too (a week longer, as markers do) only if it never runs again
        boolean tooOldForAnyApp = Catalog.Period.DAY.endMillis(period) + MAX_AGE_MILLIS + 7 * DAY_MILLIS < now;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Mode mode = modeOf(file.getFileName().toString());
                if (mode != null && CounterFile.isOtherApps(file, catalog.app())) {
                    if (tooOldForAnyApp) {
                        deleteQuietly(file);
                    }
                    continue; // another app given the same folder: its merge, not ours
                }
                if (mode == null) {
                    SdkLog.log(Level.DEBUG, "candor: removing foreign file " + file.getFileName());
                    deleteQuietly(file);
                } else {
                    (mode == Mode.ON ? on : local).add(file);
                }
            }
        }
        boolean tooOld = catalog.period().endMillis(period) + MAX_AGE_MILLIS < now;
        for (Mode mode : RECORDING_MODES) {
            List<Path> files = mode == Mode.ON ? on : local;
            if (files.isEmpty()) {
                continue;
            }
            Path marker = state.mergedMarker(period, mode);
            if (tooOld || state.isMerged(period, mode, catalog.app()) || hasReport(period, mode)) {
                // Late counts for a merged period, or a period too old to report: dropped.
                if (!tooOld) {
                    writeMarker(marker);
                }
                deleteAll(files);
                continue;
            }
            CellTotals sum = new CellTotals();
            for (Path file : files) {
                try {
                    sum.addAll(CounterFile.read(file, catalog, period, mode));
                } catch (IOException e) {
                    // One unreadable file must not hold back every other process's counts.
                    SdkLog.log(Level.DEBUG, "candor: skipping unreadable counter file " + file.getFileName() + ": "
                            + e.getMessage());
                }
            }
            if (!sum.isEmpty()) {
                Report report = build(catalog, period, sum, context, appVersion,
                        random != null ? random : secureRandom());
                Path target = state.reportsFor(mode).resolve(report.fileName());
                CounterFile.writeAtomically(target, report.json(), state.tmp(), true);
                written.add(target);
                if (debug != null) {
                    try {
                        debug.accept(report.jsonString());
                        String note = noiseNote(catalog);
                        if (note != null) {
                            debug.accept(note);
                        }
                    } catch (RuntimeException ignored) {
                        // a debug sink must never stop a merge
                    }
                }
            }
            writeMarker(marker);
            deleteAll(files);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmptyYet) {
            // a process wrote a late file meanwhile; the next merge removes it
        }
    }

    /** Closed period folders, oldest first: dated, and ended at least the grace time before now. */
    private List<String> closedPeriods(long now) {
        return state.closedPeriods(catalog.period(), graceMillis, now);
    }

    private boolean hasReport(String period, Mode mode) throws IOException {
        List<Path> places = mode == Mode.LOCAL ? List.of(state.local()) : List.of(state.outbox(), state.sent());
        for (Path place : places) {
            if (!Files.isDirectory(place)) {
                continue;
            }
            try (DirectoryStream<Path> reports = Files.newDirectoryStream(place, period + "_*.json")) {
                for (Path report : reports) {
                    if (!CounterFile.isOtherApps(report, catalog.app())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Adds this app to the marker's names (see {@link StateDirectory#mergedMarker}); under the merge lock, which
     * every app of the folder takes. A marker that names no app already stands for this one too.
     */
    private void writeMarker(Path marker) throws IOException {
        boolean exists = Files.exists(marker);
        String apps = exists ? StateDirectory.mergedApps(marker.toFile()) : "";
        if (exists && (apps == null || StateDirectory.names(apps, catalog.app()))) {
            return;
        }
        CounterFile.writeAtomically(marker, (apps + catalog.app() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                state.tmp(), false);
    }

    private void pruneMarkers(long now) {
        if (!Files.isDirectory(state.merged())) {
            return;
        }
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(state.merged())) {
            for (Path marker : markers) {
                String name = marker.getFileName().toString();
                int dot = name.indexOf('.');
                String period = dot < 0 ? name : name.substring(0, dot);
                if (!Catalog.Period.DAY.isId(period)
                        || Catalog.Period.DAY.endMillis(period) + MAX_AGE_MILLIS + 7 * DAY_MILLIS < now) {
                    deleteQuietly(marker);
                }
            }
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot prune merge markers: " + e);
        }
    }

    /**
     * Keeps the last {@value #LOCAL_KEPT} of this app's reports in {@code local/}, as {@code sent/} keeps the last
     * {@value #LOCAL_KEPT} copies: the oldest periods go first. Only a file named like a report
     * ({@code <period>_<id>.json}) that names this app counts and may go; another app's reports (given the same
     * folder) and any other file are left alone. Lists the folder once; reads the reports only beyond the cap.
     */
    private void pruneLocalReports() {
        if (!Files.isDirectory(state.local())) {
            return;
        }
        List<Path> reports = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(state.local(), "????-??-??_*.json")) {
            for (Path file : files) {
                reports.add(file);
            }
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot list local reports: " + e);
            return;
        }
        if (reports.size() <= LOCAL_KEPT) {
            return;
        }
        List<Path> ours = new ArrayList<>();
        for (Path report : reports) {
            if (catalog.app().equals(CounterFile.appOf(report))) {
                ours.add(report);
            }
        }
        Collections.sort(ours); // by name: the period first, so the oldest first
        for (int i = 0; i < ours.size() - LOCAL_KEPT; i++) {
            deleteQuietly(ours.get(i));
        }
    }

    /** Removes what an interrupted write left in {@code tmp/} (older than an hour, by the file's time). */
    private void removeStaleTemporaryFiles() {
        if (!Files.isDirectory(state.tmp())) {
            return;
        }
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(state.tmp(), "*.tmp")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() < cutoff) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot clean tmp: " + e);
        }
    }

    /** The mode of a counter file named {@code <process>.<mode>.json}, or null. */
    static Mode modeOf(String fileName) {
        if (!fileName.endsWith(".json")) {
            return null;
        }
        String stem = fileName.substring(0, fileName.length() - ".json".length());
        int dot = stem.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        return StateDirectory.recordingMode(stem.substring(dot + 1));
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot remove " + file + ": " + e);
        }
    }

    private static void deleteAll(List<Path> files) {
        for (Path file : files) {
            deleteQuietly(file);
        }
    }

    // ---- building one report ----


    /**
     * Builds one report.
     *
     * @param period the period id ({@code 2026-11-24}; a Monday for weekly catalogs)
     * @param totals the install's counts; every cell must be valid for the catalog
     * @param context the coarse context of DESIGN §5, placed as given (null for none)
     * @param appVersion the app's version, reduced here to major.minor ({@code "unknown"} if unreadable)
     * @param random draws the report id and the noise: a {@code SecureRandom} in production, a seeded
     *     {@code Random} for reproducible simulations
     * @throws IllegalArgumentException for an invalid period, an unknown event or an invalid cell
     */
    public static Report build(Catalog catalog, String period, CellTotals totals, Map<String, ?> context,
            String appVersion, Random random) {
        if (!catalog.period().isId(period)) {
            throw new IllegalArgumentException("\"" + period + "\" is not a " + catalog.period().jsonName()
                    + " period id (yyyy-mm-dd" + (catalog.period() == Catalog.Period.WEEK ? ", a Monday" : "") + ")");
        }
        for (String event : totals.asMap().keySet()) {
            if (catalog.event(event) == null) {
                throw new IllegalArgumentException("event \"" + event + "\" is not in the catalog of " + catalog.app());
            }
        }
        String reportId = randomUuid(random);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("v", 1);
        report.put("report_id", reportId);
        report.put("app", catalog.app());
        report.put("app_version", majorMinor(appVersion));
        report.put("catalog_sha256", catalog.sha256());
        report.put("period", period);
        report.put("context", context == null ? new LinkedHashMap<String, Object>() : new LinkedHashMap<>(context));
        Map<String, Object> noise = new LinkedHashMap<>();
        for (EventSpec event : catalog.allEvents()) {
            if (event.noised()) {
                Map<String, Object> mechanism = new LinkedHashMap<>();
                mechanism.put("mechanism", "discrete_laplace");
                mechanism.put("epsilon", event.noiseEpsilon().doubleValue());
                noise.put(event.name(), mechanism);
            }
        }
        report.put("noise", noise);
        report.put("counts", counts(catalog, totals, random));
        return new Report(reportId, period, Collections.unmodifiableMap(report));
    }

    /**
     * {@code "2.0.1"} → {@code "2.0"}, {@code "3"} → {@code "3.0"}, {@code "v3.14-SNAPSHOT"} → {@code "3.14"}:
     * an optional {@code v}, then up to 9 digits, then optionally a dot and up to 9 digits, at the start;
     * {@code "unknown"} when the version does not start like that.
     */
    public static String majorMinor(String version) {
        String v = version == null ? "" : version.trim();
        int majorStart = v.startsWith("v") || v.startsWith("V") ? 1 : 0;
        int majorEnd = digitsEnd(v, majorStart);
        if (majorEnd == majorStart) {
            return "unknown";
        }
        int minorEnd = majorEnd < v.length() && v.charAt(majorEnd) == '.' ? digitsEnd(v, majorEnd + 1) : majorEnd;
        int minor = minorEnd > majorEnd + 1 ? Integer.parseInt(v.substring(majorEnd + 1, minorEnd)) : 0;
        return Integer.parseInt(v.substring(majorStart, majorEnd)) + "." + minor;
    }

    /** Where the run of at most 9 ASCII digits from {@code from} ends. */
    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && end - from < 9 && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        return end;
    }

    /** One cell as a report entry: each field's value (booleans as JSON booleans), then {@code "n"}. */
    static Map<String, Object> cell(EventSpec event, List<String> values, long n) {
        Map<String, Object> cell = new LinkedHashMap<>();
        for (int i = 0; i < event.fields().size(); i++) {
            FieldSpec f = event.fields().get(i);
            cell.put(f.name(), f.type() == FieldType.BOOLEAN ? (Object) Boolean.valueOf(values.get(i)) : values.get(i));
        }
        cell.put("n", n);
        return cell;
    }

    /**
     * A report's {@code counts}: each event of the catalog that has a count, in catalog order, rendered as the
     * class comment says. With {@code random} null, the exact counts instead, as {@code telemetry show} prints
     * the open period's running totals: nothing clamped, noised or folded into {@code "other"}, every event
     * sparse, in the same order.
     */
    static Map<String, Object> counts(Catalog catalog, CellTotals totals, Random random) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (EventSpec event : catalog.events()) {
            Map<List<String>, Long> cells = totals.asMap().get(event.name());
            List<Object> rendered = event.errorTypeField() >= 0 ? errorTypes(catalog, event, cells, random == null)
                    : cells(catalog, random != null && event.noised() ? wholeEvent(catalog, event) : event, cells, random);
            if (!rendered.isEmpty()) {
                counts.put(event.name(), rendered);
            }
        }
        return counts;
    }

    /**
     * The event as the catalog file has it, every value included. A noised event is sent in this form even
     * while some of its values wait for the user's OK ({@link Catalog#events} then holds fewer): they were
     * never recorded, so their cells carry noise alone. Every collector that has the current catalog takes
     * it, and the report's shape does not tell which version the user last agreed to.
     */
    private static EventSpec wholeEvent(Catalog catalog, EventSpec event) {
        for (EventSpec whole : catalog.allEvents()) {
            if (whole.name().equals(event.name())) {
                return whole;
            }
        }
        return event;
    }

    /**
     * For the debug output and {@code telemetry show}, after a report: what the counts of its noised events are, so that a count where
     * nothing was counted does not read as counted. Above all a cell of a value that waits for the user's OK
     * (sent, with every cell, by {@link #wholeEvent}), which the debug output called "not counted" at the start:
     * {@code input_size has local noise (ε = 1): every cell is in the report, each n the true count plus random noise, so an
     * n may be above 0, or below, where nothing was counted; size ">100MB" waits for your OK and was never counted:
     * its n is noise alone}. Null when no event the report holds is noised.
     */
    public static String noiseNote(Catalog catalog) {
        StringBuilder out = new StringBuilder();
        for (EventSpec event : catalog.events()) {
            if (!event.noised()) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "; ").append(event.name()).append(" has local noise (ε = ")
                    .append(event.noiseEpsilon().stripTrailingZeros().toPlainString()).append("): every cell is in the report,"
                    + " each n the true count plus random noise, so an n may be above 0, or below, where nothing was counted");
            List<String> waiting = new ArrayList<>();
            for (FieldSpec field : wholeEvent(catalog, event).fields()) {
                FieldSpec agreed = event.field(field.name());
                for (String value : field.values()) {
                    if (agreed != null && !agreed.values().contains(value)) {
                        waiting.add(field.name() + " " + Json.write(value));
                    }
                }
            }
            if (!waiting.isEmpty()) {
                out.append("; ").append(String.join(", ", waiting)).append(waiting.size() == 1
                        ? " waits for your OK and was never counted: its n is noise alone"
                        : " wait for your OK and were never counted: their n are noise alone");
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static long[] byIndex(EventSpec event, Map<List<String>, Long> cells) {
        long[] counts = new long[event.closedCellCount()];
        if (cells != null) {
            for (Map.Entry<List<String>, Long> c : cells.entrySet()) {
                int index = event.cellIndex(c.getKey().toArray(new String[0]));
                counts[index] = CellTotals.saturatingAdd(counts[index], c.getValue());
            }
        }
        return counts;
    }

    /**
     * The cells of an event without an {@code error_type} field, in cell order: with noise (when {@code random}
     * is given and the event asks for it) every cell, else the non-zero ones; clamped unless {@code random} is null.
     */
    private static List<Object> cells(Catalog catalog, EventSpec event, Map<List<String>, Long> cells, Random random) {
        long[] counts = byIndex(event, cells);
        long[] scale = random != null && event.noised() ? DiscreteLaplace.scaleForEpsilon(event.noiseEpsilon()) : null;
        long max = random == null ? Long.MAX_VALUE : catalog.maxPerCell();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (scale != null || counts[i] > 0) {
                long noise = scale == null ? 0 : DiscreteLaplace.sample(random, scale[0], scale[1]);
                out.add(cell(event, List.of(event.cellValues(i)), Math.min(counts[i], max) + noise));
            }
        }
        return out;
    }

    /**
     * An error-type event: its cells by error type, each type not allowed folded into {@code "other"}; the
     * {@value FieldType#ERROR_TYPE_LIMIT} most frequent named types kept (the first name on a tie), in name
     * order, and the rest folded into {@code "other"}, which comes last; with {@code exact}, every type kept and
     * nothing clamped.
     */
    private static List<Object> errorTypes(Catalog catalog, EventSpec event, Map<List<String>, Long> cells,
            boolean exact) {
        int at = event.errorTypeField();
        Map<String, long[]> byType = new TreeMap<>();
        Map<String, Long> totalByType = new HashMap<>();
        if (cells != null) {
            for (Map.Entry<List<String>, Long> c : cells.entrySet()) {
                String type = c.getKey().size() > at ? c.getKey().get(at) : null;
                if (!ErrorTypes.isAllowedValue(type, catalog.packages())) {
                    type = ErrorTypes.OTHER;
                }
                long[] counts = byType.get(type);
                if (counts == null) {
                    counts = new long[event.closedCellCount()];
                    byType.put(type, counts);
                    totalByType.put(type, 0L);
                }
                int index = event.cellIndex(c.getKey().toArray(new String[0]));
                counts[index] = CellTotals.saturatingAdd(counts[index], c.getValue());
                totalByType.put(type, CellTotals.saturatingAdd(totalByType.get(type), c.getValue()));
            }
        }
        List<String> kept = new ArrayList<>();
        while (exact || kept.size() < FieldType.ERROR_TYPE_LIMIT) {
            String mostFrequent = null;
            for (String type : byType.keySet()) { // in name order: on a tie the first name stays
                if (!type.equals(ErrorTypes.OTHER) && !kept.contains(type)
                        && (mostFrequent == null || totalByType.get(type) > totalByType.get(mostFrequent))) {
                    mostFrequent = type;
                }
            }
            if (mostFrequent == null) {
                break;
            }
            kept.add(mostFrequent);
        }
        long max = exact ? Long.MAX_VALUE : catalog.maxPerCell();
        long[] other = new long[event.closedCellCount()];
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, long[]> byName : byType.entrySet()) {
            if (kept.contains(byName.getKey())) {
                addErrorCells(out, event, byName.getKey(), byName.getValue(), max);
            } else {
                for (int i = 0; i < other.length; i++) {
                    other[i] = CellTotals.saturatingAdd(other[i], byName.getValue()[i]);
                }
            }
        }
        addErrorCells(out, event, ErrorTypes.OTHER, other, max);
        return out;
    }

    private static void addErrorCells(List<Object> out, EventSpec event, String type, long[] counts, long max) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                String[] values = event.cellValues(i);
                values[event.errorTypeField()] = type;
                out.add(cell(event, List.of(values), Math.min(counts[i], max)));
            }
        }
    }

    /**
     * A fresh {@code SecureRandom} for one merge's reports. Here rather than in the merger, so that the
     * class is loaded only when a report is built, never when an app merely starts.
     */
    static Random secureRandom() {
        return new java.security.SecureRandom();
    }

    /** A version 4 UUID drawn from {@code random}. */
    static String randomUuid(Random random) {
        long msb = random.nextLong();
        long lsb = random.nextLong();
        msb = (msb & ~0xF000L) | 0x4000L;
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
