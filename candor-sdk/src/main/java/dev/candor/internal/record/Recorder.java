package dev.candor.internal.record;

import dev.candor.Counter;
import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.json.Json;
import dev.candor.internal.context.SdkLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Records one app's events in this process and keeps the state directory's counts up to date:
 * the part of the SDK between the public {@code Telemetry} facade and the files.
 *
 * <p>Promises: {@link #counter} resolves a cell once and returns a handle whose
 * {@code increment()} takes no lock, allocates nothing and looks nothing up. No method throws
 * into the host; bad names give a no-op counter (logged at DEBUG through {@code System.Logger}).
 * Files are written off the caller's thread by one named daemon thread (context class loader
 * null): it first merges the periods that closed (the first run after a period closes makes its
 * report), then writes this process's cumulative totals to
 * {@code <state>/counts/<period>/<process>.<mode>.json} every {@link #DEFAULT_FLUSH_INTERVAL_MILLIS} and
 * at each period boundary, so counts go to the period in which they were recorded; it merges
 * again whenever a period has closed. {@link #close()} writes the file a last time, bounded and on
 * local disk only. Counts for a period that is already merged are dropped. In mode {@code OFF}
 * nothing is recorded, written or started.
 */
public final class Recorder implements AutoCloseable, Runnable {
    /** How often the counts are written while the process runs, in milliseconds (30 s). */
    public static final long DEFAULT_FLUSH_INTERVAL_MILLIS = 30_000;
    /**
     * How long after a period ends before it is merged, in milliseconds (10 min): room for processes
     * still running at the boundary to write their last counts for it.
     */
    public static final long DEFAULT_MERGE_GRACE_MILLIS = 10 * 60_000;
    /** How long {@link #close()} waits for the background thread before writing the file itself, in ms. */
    static final long CLOSE_WAIT_MILLIS = 20;

    private final Catalog catalog;
    private final StateDirectory state;
    private final Mode mode;
    private final Clock clock;
    private final Consumer<String> debug;
    private final long flushIntervalMillis;
    private final String processId;
    private final Map<String, EventCounters> events = new LinkedHashMap<>();
    private final long graceMillis;
    private final Map<String, ?> context;
    private final String appVersion;
    private final Random random;
    /** Made on the first merge that has something to do: most runs never load its class. */
    private ReportBuilder merger;

    private final ReentrantLock flushLock = new ReentrantLock();
    /** Guarded by flushLock: this process's cumulative totals per period not yet finished. */
    private final Map<String, CellTotals> pending = new HashMap<>();
    /** Guarded by flushLock: periods whose totals changed since their file was written. */
    private final Set<String> dirty = new HashSet<>();
    /** Guarded by flushLock: the period the counters' current contents belong to. */
    private String openPeriod;

    private final Object signal = new Object();
    private volatile boolean closed;
    private Thread flusher;
    /** Called on the background thread after a merge wrote reports; null for none. */
    private volatile Runnable reportsWritten;
    /**
     * Asked before each write of counts and each merge: whether consent still gives this recorder's mode. False
     * once the user ran {@code telemetry disable} (or switched the mode) in another process while this run went
     * on; null: never asked (set by {@link #open} before the thread starts).
     */
    private BooleanSupplier consentStands;

    /** For tests: other intervals, and a fixed source of randomness (null: a fresh {@code SecureRandom} per merge). */
    Recorder(Catalog catalog, Path stateDir, Mode mode, Clock clock, Map<String, ?> context, String appVersion,
            Consumer<String> debug, long flushIntervalMillis, long graceMillis, Random random) {
        this.catalog = catalog;
        this.state = new StateDirectory(stateDir);
        this.mode = mode;
        this.clock = clock;
        this.debug = debug;
        this.flushIntervalMillis = flushIntervalMillis;
        this.processId = StateDirectory.newProcessName();
        for (EventSpec e : catalog.events()) {
            events.put(e.name(), new EventCounters(e));
        }
        this.graceMillis = graceMillis;
        this.context = context;
        this.appVersion = appVersion;
        this.random = random;
        this.openPeriod = catalog.period().idOfMillis(clock.millis());
        this.closed = mode == Mode.OFF;
    }

    /**
     * Opens a recorder and starts its background thread. Never throws for a non-null catalog: on
     * any problem it returns a recorder that records nothing.
     *
     * @param mode {@code ON} (reports go to the outbox), {@code LOCAL} (to {@code local/}, never
     *     sent) or {@code OFF} (nothing at all)
     * @param context the coarse context placed in every report
     * @param debugSink when not null, receives each recorded event and each report as exact JSON
     * @param consentStands when not null, asked before each write and merge; once it answers false the recorder
     *     writes nothing more and deletes the counts it wrote (DESIGN §4: off means off, from that moment)
     */
    public static Recorder open(Catalog catalog, Path stateDir, Mode mode, Clock clock, Map<String, ?> context,
            String appVersion, Consumer<String> debugSink, BooleanSupplier consentStands) {
        try {
            Recorder r = new Recorder(catalog, stateDir, mode == null ? Mode.OFF : mode,
                    clock == null ? Clock.systemUTC() : clock, context, appVersion, debugSink,
                    DEFAULT_FLUSH_INTERVAL_MILLIS, DEFAULT_MERGE_GRACE_MILLIS, null);
            r.consentStands = consentStands;
            r.start();
            return r;
        } catch (RuntimeException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot start recording", e);
            return new Recorder(catalog, stateDir, Mode.OFF, Clock.systemUTC(), context, appVersion, null,
                    DEFAULT_FLUSH_INTERVAL_MILLIS, DEFAULT_MERGE_GRACE_MILLIS, null);
        }
    }

    /** Starts the background thread (package-private so tests can drive flushes by hand instead). */
    void start() {
        if (closed) {
            return;
        }
        // The recorder is its thread's Runnable: not a lambda (the first lambda of a JVM costs startup time), and
        // not one more class to load.
        Thread t = new Thread(this, "candor-recorder-" + catalog.app());
        t.setDaemon(true);
        t.setContextClassLoader(null);
        flusher = t;
        t.start();
    }

    /**
     * Runs {@code listener} on the background thread each time a merge wrote at least one report
     * (so that the uploader can send it in this run). Set it before counting; {@code null} for none.
     */
    public void onReportsWritten(Runnable listener) {
        this.reportsWritten = listener;
    }

    public Catalog catalog() {
        return catalog;
    }

    /**
     * The handle of one cell: {@code counter("command_run", "command", "convert", "success", "true",
     * "duration", "1s-5s")}, every field of the event named once, in any order. An
     * {@code error_type} field takes a class name, reduced here. Costs a lookup; keep the handle.
     * Returns the shared no-op counter for an unknown event, field or value, or when off.
     */
    public Counter counter(String event, String... fieldValuePairs) {
        if (mode == Mode.OFF) {
            return NoopCounter.INSTANCE;
        }
        try {
            EventCounters counters = events.get(event);
            if (counters == null) {
                SdkLog.log(Level.DEBUG, "candor: event \"" + event + "\" is not in the catalog; not recorded");
                return NoopCounter.INSTANCE;
            }
            String[] values = values(counters.spec, fieldValuePairs, true);
            if (values == null) {
                return NoopCounter.INSTANCE;
            }
            int at = counters.spec.errorTypeField();
            if (at >= 0) {
                values[at] = ErrorTypes.reduce(values[at], catalog.packages());
            }
            return counters.resolve(values, this);
        } catch (RuntimeException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot record " + event + ": " + e.getMessage());
            return NoopCounter.INSTANCE;
        }
    }

    /**
     * Makes {@code early}, a handle given out for {@code counter(event, fieldValuePairs)} before this
     * recorder existed, count in that cell from now on, its counts so far included; when the cell is not
     * allowed, {@code early} stays a counter nobody reads, as the no-op counter would have been.
     */
    void adopt(String event, String[] fieldValuePairs, CellCounter early) {
        Counter resolved = counter(event, fieldValuePairs);
        if (resolved instanceof CellCounter) {
            ((CellCounter) resolved).join(early);
        }
    }

    /**
     * The handle for {@code error} in an event with an {@code error_type} field: the throwable is
     * reduced to its error type, the other fields are given as pairs.
     */
    public Counter errorCounter(String event, Throwable error, String... otherFieldValuePairs) {
        try {
            EventSpec spec = catalog.event(event);
            if (spec == null || spec.errorTypeField() < 0) {
                SdkLog.log(Level.DEBUG, "candor: event \"" + event + "\" has no error_type field; not recorded");
                return NoopCounter.INSTANCE;
            }
            String[] pairs = otherFieldValuePairs == null ? new String[0] : otherFieldValuePairs;
            String[] all = Arrays.copyOf(pairs, pairs.length + 2);
            all[pairs.length] = spec.fields().get(spec.errorTypeField()).name();
            all[pairs.length + 1] = ErrorTypes.reduce(error, catalog.packages());
            return counter(event, all);
        } catch (RuntimeException e) {
            return NoopCounter.INSTANCE;
        }
    }

    /**
     * Counts {@code error} once in the first event whose only field is an {@code error_type}
     * (such as the catalog's {@code "error"} event); does nothing when there is none.
     */
    public void error(Throwable error) {
        for (EventSpec spec : catalog.events()) {
            if (spec.fields().size() == 1 && spec.errorTypeField() == 0) {
                errorCounter(spec.name(), error).increment();
                return;
            }
        }
    }

    /**
     * Writes this process's counter file now, on the calling thread. Periods that ended since the
     * last write get their final counts; a period already merged gets none (late counts are
     * dropped). Never throws.
     */
    public void flush() {
        if (closed) {
            return;
        }
        flushLock.lock();
        try {
            writeCounts();
        } catch (RuntimeException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot write counts", e);
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Merges every closed period's counter files into one report per (period, mode), now, on the
     * calling thread; returns the report files written (none when another process did it). Never
     * throws.
     */
    public List<Path> mergeClosedPeriods() {
        if (mode == Mode.OFF) {
            return Collections.emptyList();
        }
        try {
            if (!hasClosedPeriods() || !consentStands()) {
                return Collections.emptyList();
            }
            ReportBuilder m;
            synchronized (signal) {
                if (merger == null) {
                    merger = new ReportBuilder(catalog, state, clock, graceMillis, context, appVersion, random, debug);
                }
                m = merger;
            }
            return m.mergeClosedPeriods();
        } catch (IOException | RuntimeException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot merge closed periods", e);
            return Collections.emptyList();
        }
    }

    /**
     * The open period's running totals of every process of this app in this mode (before clamping
     * and noise), as pretty JSON: {@code {"period": …, "mode": …, "counts": {event: [cells]}}}.
     * What {@code telemetry show} prints beside the pending reports. Never throws.
     */
    public String runningTotals() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            CellTotals sum = new CellTotals();
            String period;
            flushLock.lock();
            try {
                period = catalog.period().idOfMillis(clock.millis());
                CellTotals mine = pending.get(period);
                if (mine != null) {
                    sum.addAll(mine);
                }
                if (period.equals(openPeriod)) {
                    for (EventCounters c : events.values()) {
                        c.collect(sum, false);
                    }
                }
            } finally {
                flushLock.unlock();
            }
            out.put("period", period);
            out.put("mode", StateDirectory.modeName(mode));
            Path dir = state.counts(period);
            if (mode != Mode.OFF && Files.isDirectory(dir)) {
                String own = state.counterFile(period, processId, mode).getFileName().toString();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                        "*." + StateDirectory.modeName(mode) + ".json")) {
                    for (Path file : files) {
                        if (!file.getFileName().toString().equals(own)) {
                            try {
                                sum.addAll(CounterFile.read(file, catalog, period, mode));
                            } catch (IOException skipped) {
                                // shown totals skip what the merge will skip
                            }
                        }
                    }
                }
            }
            out.put("counts", ReportBuilder.counts(catalog, sum, null));
            return Json.writePretty(out);
        } catch (IOException | RuntimeException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot read running totals", e);
            out.putIfAbsent("counts", new LinkedHashMap<String, Object>());
            return Json.writePretty(out);
        }
    }

    /**
     * Stops the background thread and writes the counts a last time: bounded (at most
     * {@link #CLOSE_WAIT_MILLIS} waiting for the thread, then one small local file), no network. Counting
     * on handles still works afterwards but is never written. Never throws.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        Thread t = flusher;
        try {
            if (t != null && t != Thread.currentThread()) {
                t.join(CLOSE_WAIT_MILLIS);
            }
            if (flushLock.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    writeCounts();
                } finally {
                    flushLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot write counts at close", e);
        }
    }

    /**
     * The background thread's work (see the class comment), until {@link #close()}: not for other callers.
     * Whatever it throws ends it, logged at DEBUG.
     */
    @Override
    public void run() {
        try {
            runInBackground();
        } catch (Throwable e) {
            SdkLog.log(Level.DEBUG, "candor: recorder thread failed", e);
        }
    }

    // ---- internals ----

    private void runInBackground() {
        mergeInBackground();
        while (!closed) {
            long wait = flushIntervalMillis;
            try {
                long end;
                flushLock.lock();
                try {
                    end = catalog.period().endMillis(openPeriod);
                } finally {
                    flushLock.unlock();
                }
                long untilBoundary = end - clock.millis() + 1;
                wait = Math.max(1, Math.min(wait, untilBoundary));
            } catch (RuntimeException e) {
                SdkLog.log(Level.DEBUG, "candor: clock problem", e);
            }
            synchronized (signal) {
                if (closed) {
                    return;
                }
                try {
                    signal.wait(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (closed) {
                return;
            }
            flush();
            if (hasClosedPeriods()) {
                mergeInBackground();
            }
        }
    }

    /** Whether some period folder is closed (past the grace time) and so would be merged. One listing. */
    private boolean hasClosedPeriods() {
        return !state.closedPeriods(catalog.period(), graceMillis, clock.millis()).isEmpty();
    }

    /** Merges closed periods and tells the listener when that wrote reports. */
    private void mergeInBackground() {
        if (!mergeClosedPeriods().isEmpty()) {
            Runnable listener = reportsWritten;
            if (listener != null && mode == Mode.ON) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    SdkLog.log(Level.DEBUG, "candor: report listener failed", e);
                }
            }
        }
    }

    /**
     * True while consent gives this recorder's mode; otherwise stops it for good: nothing more is written, and
     * the counter files this process wrote are deleted (the disabling command deleted the rest). Never throws.
     */
    private boolean consentStands() {
        BooleanSupplier check = consentStands;
        if (check == null || check.getAsBoolean()) {
            return true;
        }
        closed = true;
        flushLock.lock();
        try {
            for (String period : pending.keySet()) {
                ReportBuilder.deleteQuietly(state.counterFile(period, processId, mode));
            }
            pending.clear();
            dirty.clear();
        } finally {
            flushLock.unlock();
        }
        for (EventCounters c : events.values()) {
            c.collect(new CellTotals(), true); // what was counted since the last write goes nowhere
        }
        if (debug != null) {
            debug.accept("telemetry is no longer " + mode + " (changed by another run): this run writes nothing more");
        }
        SdkLog.log(Level.DEBUG, "candor: telemetry is no longer " + mode + "; this run writes nothing more");
        return false;
    }

    /** Caller holds flushLock. */
    private void writeCounts() {
        if (!consentStands()) {
            return;
        }
        String now = catalog.period().idOfMillis(clock.millis());
        CellTotals delta = new CellTotals();
        for (EventCounters c : events.values()) {
            c.collect(delta, true);
        }
        if (!delta.isEmpty()) {
            CellTotals open = pending.get(openPeriod);
            if (open == null) {
                open = new CellTotals();
                pending.put(openPeriod, open);
            }
            open.addAll(delta);
            dirty.add(openPeriod);
        }
        for (String period : new ArrayList<>(pending.keySet())) {
            Path file = state.counterFile(period, processId, mode);
            if (state.isMerged(period, mode, catalog.app())) {
                SdkLog.log(Level.DEBUG, "candor: period " + period + " is already merged; dropping late counts");
                pending.remove(period);
                dirty.remove(period);
                ReportBuilder.deleteQuietly(file);
                continue;
            }
            if (dirty.contains(period)) {
                try {
                    CounterFile.writeAtomically(file, CounterFile.encode(catalog, period, mode, pending.get(period)),
                            state.tmp(), false);
                    dirty.remove(period);
                } catch (IOException e) {
                    SdkLog.log(Level.DEBUG, "candor: cannot write " + file + ": " + e);
                    continue;
                }
            }
            if (!period.equals(now)) {
                pending.remove(period);
            }
        }
        openPeriod = now;
    }

    /** The handle of a cell resolved for the first time ({@link EventCounters#resolve}). */
    CellCounter newCounter(EventSpec spec, String[] values) {
        if (debug == null) {
            return new CellCounter();
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", spec.name());
        event.putAll(ReportBuilder.cell(spec, Arrays.asList(values), 0));
        event.remove("n");
        String json = Json.write(event);
        return CellCounter.Debugging.of(json.substring(0, json.length() - 1) + ",\"n\":", debug);
    }

    /**
     * The values in field order from name/value pairs, or null when they do not fit (logged at DEBUG when
     * {@code log}). The name {@link PendingCounters#DURATION_FIELD} stands for the event's duration field.
     */
    static String[] values(EventSpec spec, String[] pairs, boolean log) {
        List<FieldSpec> fields = spec.fields();
        if (pairs == null || pairs.length != 2 * fields.size()) {
            if (log) {
                SdkLog.log(Level.DEBUG, "candor: event " + spec.name() + " needs a value for each of its fields " + fields);
            }
            return null;
        }
        String[] values = new String[fields.size()];
        for (int i = 0; i < pairs.length; i += 2) {
            FieldSpec f = PendingCounters.DURATION_FIELD.equals(pairs[i]) ? durationField(spec) : spec.field(pairs[i]);
            if (f == null) {
                if (log) {
                    SdkLog.log(Level.DEBUG, "candor: event " + spec.name() + " has no field \"" + pairs[i] + "\"");
                }
                return null;
            }
            int at = fields.indexOf(f);
            if (values[at] != null || pairs[i + 1] == null) {
                if (log) {
                    SdkLog.log(Level.DEBUG, "candor: event " + spec.name() + ": field " + f.name()
                            + " given twice or without a value");
                }
                return null;
            }
            values[at] = pairs[i + 1];
        }
        return values;
    }

    /** The event's first field of type duration, or null. */
    private static FieldSpec durationField(EventSpec spec) {
        for (FieldSpec f : spec.fields()) {
            if (f.type() == FieldType.DURATION) {
                return f;
            }
        }
        return null;
    }
}
