package dev.candor;

import dev.candor.TelemetryStatus.Source;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.CatalogSource;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.consent.AgreedCatalog;
import dev.candor.internal.consent.CatalogChangeNotice;
import dev.candor.internal.consent.ConsentDecision;
import dev.candor.internal.consent.ConsentResolver;
import dev.candor.internal.consent.TelemetryFlags;
import dev.candor.internal.consent.TelemetryPaths;
import dev.candor.internal.context.Environment;
import dev.candor.internal.context.ReportContext;
import dev.candor.internal.context.SdkLog;
import dev.candor.internal.json.Json;
import dev.candor.internal.record.PendingCounters;
import dev.candor.internal.record.Recorder;
import dev.candor.internal.record.StateDirectory;
import dev.candor.internal.upload.Uploader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * An app's telemetry: start it once in {@code main}, resolve counters once, record on the hot path.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0").args(args).build());
 * Counter converted = telemetry.counter("command_run", "command", "convert", "success", "true", "duration", "<100ms");
 * converted.increment();
 * System.out.println(telemetry.statusLine());
 * }</pre>
 *
 * <p>Promises: no method ever throws into the app; recording never blocks; when telemetry is off
 * (DESIGN §4) every counter is a shared no-op and the SDK writes no file, opens no socket and starts
 * no thread. All methods are thread-safe.
 */
public final class Telemetry implements AutoCloseable {
    /**
     * The shared no-op handle, counter and timing at once, in a class of its own so that a recording start
     * (which hands out real counters) never loads it. Not lambdas: the first lambda of a JVM loads about a
     * hundred {@code java.lang.invoke} classes.
     */
    private static final class NoOp implements Counter, Timing {
        private static final NoOp INSTANCE = new NoOp();
        // typed as the interfaces: Telemetry's methods return them as they are, so that verifying Telemetry
        // does not load Timing (a class a run that times nothing never needs)
        static final Counter COUNTER = INSTANCE;
        static final Timing TIMING = INSTANCE;

        @Override
        public void increment() {
        }

        @Override
        public void add(long n) {
        }

        @Override
        public void stop(String... moreFieldValuePairs) {
        }
    }

    final TelemetryOptions options;
    final Environment env;
    /** Null when unavailable, and until a background start parsed it (see {@link #startQuickly}). */
    volatile Catalog catalog;
    /** Null when unavailable. */
    volatile TelemetryPaths paths;
    final String command;
    final DebugOutput debug;
    final TelemetryFlags flags;
    /**
     * What telemetry does in this run and who decided it. A quick start leaves it null on the app's thread:
     * its start thread makes it from {@link #decision} (see {@link #currentStatus}).
     */
    volatile TelemetryStatus status;
    /** A quick start's consent decision, from which {@link #status} is made; null otherwise. */
    ConsentDecision decision;
    /** Null unless this run records (mode on or local, not a telemetry command). */
    volatile Recorder recorder;
    /** Null unless this run may send (mode on, not a telemetry command). */
    private volatile Uploader uploader;
    /** What the user agreed to of the catalog; null until a recording run or a command needs it. */
    volatile AgreedCatalog agreement;
    /**
     * Set once by {@link #close} (under {@link #uploaderLock}). A volatile flag, not an {@code AtomicBoolean}:
     * the first atomic of a JVM sets up the {@code VarHandle} machinery, a millisecond or two of its start.
     */
    volatile boolean closed;
    /** Whether {@link #close} was called (guarded by {@link #uploaderLock}): close runs once. */
    private boolean closeCalled;
    /** The thread finishing a quick start, until it ended and someone waited for it; else null. */
    private volatile StartThread starting;
    /**
     * Counters asked for before the recorder exists (see {@link #startQuickly}); made at the first of them
     * ({@link #early}), so that a quick start does not load the class on the app's thread. Null until then,
     * and for a start on the app's thread.
     */
    private volatile PendingCounters pending;
    /** A quick start's catalog file, as read; null otherwise. */
    byte[] catalogFile;
    /**
     * A quick start's period kind, read from its catalog file without a parse by its start thread ({@link
     * #quickPeriod}); null until then, and otherwise.
     */
    volatile Catalog.Period period;
    /** Guards creating the uploader against stopping recording (and a background start against closing). */
    final Object uploaderLock = new Object();

    Telemetry(TelemetryOptions options, Environment env, Catalog catalog, TelemetryPaths paths,
                      String command, DebugOutput debug, TelemetryFlags flags, TelemetryStatus status) {
        this.options = options;
        this.env = env;
        this.catalog = catalog;
        this.paths = paths;
        this.command = command;
        this.debug = debug;
        this.flags = flags;
        this.status = status;
    }

    /**
     * How long {@link #close} waits at most for a background start still at work, in milliseconds. That
     * start is local work of a few tens of milliseconds, begun when the run had work waiting (a period to
     * merge) or after {@link #DEFERRED_START_MILLIS}, so only a run that ends while it is at work waits at
     * all, and only for what is left of it: the wait is the start's own cost, not an exit cost (no network,
     * no lock held by others). Past this bound (a machine stalled) the run's counts are not written rather
     * than exit being held longer. The same bound applies to the start thread's first steps after the
     * hand-over, which a short run's close waits for.
     */
    static final long CLOSE_START_WAIT_MILLIS = 1_000;
    /** How long a method that needs the catalog or the final status waits for a background start, at most. */
    static final long SETTLE_WAIT_MILLIS = 10_000;

    /** How long {@code telemetry send} waits for the collector at most (DESIGN §8), in milliseconds. */
    static final long SEND_TIMEOUT_MILLIS = 10_000;

    /**
     * Reads the catalog, decides consent (showing the first-run notice when nobody decided yet) and
     * returns the app's handle. Costs one small class-path read and a few file reads; on a first run
     * at a terminal it waits for the user's answer (at most 30 s). Never throws: a missing or invalid
     * catalog gives a handle that is off, and says why in its status and a warning in the log.
     */
    public static Telemetry start(TelemetryOptions options) {
        TelemetryOptions opts = options == null ? TelemetryOptions.defaults() : options;
        Environment env = opts.environment;
        TelemetryFlags flags = TelemetryFlags.scan(opts.argsArray());
        DebugOutput debug = flags.debug() ? DebugOutput.to(env.errors()) : DebugOutput.OFF;
        StartThread helper = null;
        try {
            if (!debug.enabled() && !opts.telemetryCommand && !flags.off()) {
                helper = StartThread.begin(); // loads what the next steps need while this thread reads the catalog
            }
            byte[] catalogFile;
            try {
                catalogFile = catalogBytes(opts); // read once: a class-path lookup costs milliseconds at start
            } catch (IOException e) {
                return catalogProblem(opts, env, debug, flags, e.getMessage());
            }
            String app = null;
            ConsentDecision decided = null; // decided on the way to a quick start; the foreground start reuses it
            if (helper != null && (app = CatalogSource.appName(catalogFile)) != null) {
                TelemetryPaths paths = TelemetryPaths.of(app, env);
                if (!isTrue(env.variable(paths.debugVariable()))) {
                    decided = ConsentResolver.resolve(paths, env, flags, DebugOutput.OFF);
                    Telemetry quick = startQuickly(opts, env, flags, catalogFile, helper, paths, decided);
                    if (quick != null) {
                        helper = null; // it finishes the start
                        return quick;
                    }
                }
            }
            return ForegroundStart.startFully(opts, env, flags, debug, catalogFile, app, decided);
        } catch (RuntimeException | LinkageError e) {
            SdkLog.log(Level.WARNING, "Telemetry is off: it failed to start", e);
            debug.accept("telemetry failed to start: " + e);
            return unavailable(opts, env, debug, flags, "failed to start; see the log");
        } finally {
            if (helper != null) {
                helper.dismiss(); // not a quick start: no thread outlives start (off stays without threads)
            }
        }
    }

    /**
     * The start of an ordinary recording run, in which nothing is to be asked or shown: consent is decided
     * (by {@link #start}) on the app's thread, from the catalog's app name alone (so that off still means no
     * thread and no file), and the rest (parsing and validating the whole catalog, opening the recorder,
     * looking at the outbox) is left to the start thread; counters asked for meanwhile are real ones ({@link
     * PendingCounters}). That thread begins at once when this run has work waiting for it (a closed period
     * to merge, a report to send), else only once the app has run {@link #DEFERRED_START_MILLIS}: a shorter
     * run never parses its catalog, and {@link #close} writes what it counted by name ({@link
     * PendingCounters#writeShortRun}). Null when this run is not such a run: the first-run notice due,
     * telemetry off (its catalog is parsed at once, as the commands of an off run need it), or a catalog
     * other than the one agreed to, byte for byte; {@link ForegroundStart#startFully} then does everything
     * on the app's thread, as it always did.
     */
    private static Telemetry startQuickly(TelemetryOptions opts, Environment env, TelemetryFlags flags,
                                          byte[] catalogFile, StartThread helper, TelemetryPaths paths,
                                          ConsentDecision decision) {
        String app = paths.app();
        if (decision.isNoticeDue() || decision.mode() == Mode.OFF
                || !CatalogSource.holds(new File(paths.stateDirectory().toFile(), AgreedCatalog.FILE), catalogFile)) {
            return null;
        }
        String command = opts.command == null || opts.command.isBlank() ? app : opts.command;
        Telemetry telemetry = new Telemetry(opts, env, null, paths, command, DebugOutput.OFF, flags, null);
        telemetry.decision = decision;
        telemetry.catalogFile = catalogFile;
        telemetry.starting = helper;
        helper.handTo(telemetry, catalogFile);
        return telemetry;
    }

    /**
     * How long an ordinary run goes on before its start thread parses the catalog and opens the recorder, in
     * milliseconds (1 s). Most runs of a command-line app end sooner: they never pay for either (see {@link
     * #startQuickly}). A longer run gets its recorder then, with everything counted so far.
     */
    static final long DEFERRED_START_MILLIS = 1_000;

    /**
     * The thread of a quick start (see {@link #startQuickly}). Begun first thing in {@link #start}, it
     * loads the classes the app's thread needs next, in the order it needs them, while that thread reads
     * the catalog (class loading and bytecode verification are most of a cold start, and a second core is
     * idle then). Then the app's thread either hands it the start ({@link #handTo}) or dismisses it ({@link
     * #dismiss}); dismissed, it stops between two classes, and {@code dismiss} waits for that, so that no
     * thread outlives an off run's start. Handed the start, it logs the status line, waits until the start is
     * due (at once, or after a delay that most runs never reach) and finishes it ({@link BackgroundStart}),
     * unless {@link #cancelIfNotBegun} came first. It never writes or sends anything itself before the start
     * begins; every SDK class it touches has a trivial static initializer.
     */
    static final class StartThread extends Thread {
        /**
         * Classes by name (a test checks that each exists) that the app's thread needs for its decision,
         * in the order it needs them: this thread begins while the app's thread still reads the catalog,
         * so it stays ahead, and the app's thread finds each class loaded. Nothing of the recording code:
         * an off run never loads any of it.
         */
        static final String[] PRELOADED = {
            "dev.candor.internal.consent.TelemetryPaths",
            "dev.candor.internal.consent.ConsentResolver",
            "dev.candor.Mode",
            "dev.candor.TelemetryStatus$Source",
            "dev.candor.internal.consent.ConsentDecision",
        };
        /**
         * What the app's thread needs once it handed the start over (its first counter), loaded at once; the
         * status and the period kind, which this thread makes next, load their own classes here too.
         */
        static final String[] PRELOADED_WHEN_HANDED = {
            "dev.candor.Counter",
            "dev.candor.internal.record.PendingCounters",
            "dev.candor.internal.record.PendingCounters$Asked",
            "dev.candor.internal.record.CellCounter",
            "dev.candor.internal.record.StateDirectory",
        };
        /** What {@link Telemetry#close} needs on the app's thread to write a short run's counts. */
        static final String[] PRELOADED_FOR_SHORT_CLOSE = {
            "dev.candor.internal.record.ShortRunCounts",
            "dev.candor.internal.catalog.FieldType",
            "java.io.FileOutputStream$1", // its close(): not in the JDK's class-data archive, so read from the image
        };
        /** What {@link Telemetry#close} needs on the app's thread to write the counts: loaded when the start is done. */
        static final String[] PRELOADED_FOR_CLOSE = {
            "dev.candor.internal.record.CellTotals",
            "dev.candor.internal.record.CounterFile",
            "dev.candor.internal.json.Json",
        };

        /** The longest {@link #dismiss} waits for the thread to end, in milliseconds. */
        static final long DISMISS_WAIT_MILLIS = 1_000;

        private Telemetry handedTo;
        private byte[] catalogFile;
        private boolean decided;
        /** When the start was handed over, then when it is due, in {@code System.nanoTime()} terms (guarded by this). */
        private long dueNanos;
        /** The handed start began, and so is no longer cancelled by close (guarded by this). */
        private boolean begun;
        /** Close came before the start began: it never will (guarded by this). */
        private boolean cancelled;
        /** Someone needs the catalog or the recorder now: the start is due whatever its delay (guarded by this). */
        private boolean urgent;
        /** This thread knows when the start is due, and logged the status line (guarded by this). */
        private boolean ready;
        /** The handed start is done (guarded by this). */
        private boolean finished;

        private StartThread() {
            super("candor-start");
            setDaemon(true);
            setContextClassLoader(null);
        }

        /** A started start thread, or null when none can be started (the start then runs on the app's thread). */
        static StartThread begin() {
            try {
                StartThread t = new StartThread();
                t.start();
                return t;
            } catch (OutOfMemoryError | RuntimeException e) {
                return null; // "unable to create native thread" must not reach the host
            }
        }

        @Override
        public void run() {
            System.getenv("PATH"); // the JDK reads the environment once; the app's thread asks for variables next
            for (String name : PRELOADED) {
                synchronized (this) {
                    if (decided && handedTo == null) {
                        return;
                    }
                }
                load(name);
            }
            Telemetry telemetry;
            byte[] file;
            synchronized (this) {
                while (!decided) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // the app's thread always decides (in start's finally); keep waiting for it
                    }
                }
                telemetry = handedTo;
                file = catalogFile;
            }
            if (telemetry == null) {
                return;
            }
            for (String name : PRELOADED_WHEN_HANDED) {
                load(name);
            }
            try {
                TelemetryStatus status = telemetry.currentStatus();
                telemetry.quickPeriod();
                scheduleStart(telemetry);
                Telemetry.logStatus(telemetry.options, status);
            } finally {
                markReady();
            }
            for (String name : PRELOADED_FOR_SHORT_CLOSE) {
                load(name);
            }
            if (!awaitDue()) {
                return;
            }
            try {
                BackgroundStart.finish(telemetry, file);
            } finally {
                markFinished(); // what follows only prepares close(); nobody waits for it
            }
            for (String name : PRELOADED_FOR_CLOSE) {
                load(name);
            }
            Catalog started = telemetry.catalog;
            if (started != null) {
                started.sha256(); // the counter file names it: taken here, not at close() on the app's thread
            }
        }

        /** Loads, links and initializes one class; never throws. */
        private static void load(String name) {
            try {
                Class.forName(name, true, name.startsWith("java.") ? null : Telemetry.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // a class that cannot load fails where it is used, with its own error
            }
        }

        /**
         * Makes the handed start due at once when this run has work waiting for it (a closed period to merge, a
         * report to send): a user whose runs are all short still gets reports made and sent. Otherwise it is
         * due once the app has run {@link Telemetry#DEFERRED_START_MILLIS}.
         */
        private void scheduleStart(Telemetry t) {
            boolean waits = true;
            try {
                Catalog.Period kind = t.period;
                // a catalog whose period cannot be read without the parser is parsed at once, and the parser says why
                waits = kind == null || new StateDirectory(t.paths.stateDirectory()).workWaits(kind,
                        t.options.clock.millis(), t.decision.mode() == Mode.ON);
            } finally {
                synchronized (this) {
                    if (waits && !cancelled) {
                        begun = true; // never cancelled: close waits for it
                        dueNanos = System.nanoTime();
                    } else {
                        dueNanos += DEFERRED_START_MILLIS * 1_000_000L;
                    }
                }
            }
        }

        /** Waits until the handed start is due; false when close cancelled it first. */
        private synchronized boolean awaitDue() {
            while (!cancelled) {
                long left = dueNanos - System.nanoTime();
                if (left <= 0 || urgent) {
                    begun = true;
                    return true;
                }
                try {
                    wait(left / 1_000_000L + 1);
                } catch (InterruptedException e) {
                    // only close or a caller that needs the catalog ends the wait early
                }
            }
            return false;
        }

        /** Makes the handed start due now (a caller needs the catalog or the recorder). */
        synchronized void beginNow() {
            urgent = true;
            notifyAll();
        }

        /**
         * At close: when the handed start has not begun, it never will, and true is returned; false when it
         * has begun (wait for it instead). First waits, at most {@code millis}, for this thread to know whether
         * the start is due at once and to log the status line: its first steps after the hand-over.
         */
        synchronized boolean cancelIfNotBegun(long millis) {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (!ready && isAlive()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (begun) {
                return false;
            }
            cancelled = true;
            notifyAll();
            return true;
        }

        private synchronized void markReady() {
            ready = true;
            notifyAll();
        }

        private synchronized void markFinished() {
            finished = true;
            notifyAll();
        }

        /**
         * Waits until the start it was handed is done (not the preparations for close that follow), at most
         * {@code millis}; true when it is done, or will never be (cancelled, or the thread ended). Never throws.
         */
        synchronized boolean awaitFinished(long millis) {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (!finished && !cancelled && isAlive()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return finished;
                }
            }
            return true;
        }

        /** Lets this thread finish {@code telemetry}'s start from {@code catalogFile}, when it is due. */
        synchronized void handTo(Telemetry telemetry, byte[] catalogFile) {
            this.handedTo = telemetry;
            this.catalogFile = catalogFile;
            this.dueNanos = System.nanoTime();
            this.decided = true;
            notifyAll();
        }

        /**
         * Ends this thread, and waits until it has (at most one class load; bounded all the same, so that a
         * class load stuck in the JVM can never hold the app's start). Never throws.
         */
        void dismiss() {
            synchronized (this) {
                decided = true;
                notifyAll();
            }
            try {
                join(DISMISS_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The counters handed out before the recorder exists, made at the first call: null unless this is a
     * quick start (see {@link #startQuickly}).
     */
    PendingCounters early() {
        PendingCounters p = pending;
        if (p == null && catalogFile != null) {
            synchronized (uploaderLock) {
                p = pending;
                if (p == null) {
                    p = new PendingCounters();
                    pending = p;
                }
            }
        }
        return p;
    }

    /**
     * Waits until a background start ended (see {@link #startQuickly}), at most {@code millis}: the
     * catalog, the status and the recorder are settled afterwards (unless it took longer). Free after
     * the first call; never throws.
     */
    private void awaitStart(long millis) {
        StartThread t = starting;
        if (t != null) {
            t.beginNow();
            if (t.awaitFinished(millis)) {
                starting = null;
            }
        }
    }

    /**
     * Waits for a background start to end (see {@link #awaitStart}), beginning it now if it waits for its
     * delay, as every method that needs the catalog or the recorder does; the status is made by then.
     */
    private void settled() {
        awaitStart(SETTLE_WAIT_MILLIS);
        currentStatus();
    }

    /**
     * This run's status: a quick start's is made from its decision at the first need, normally by its start
     * thread right after the hand-over, so that the app's thread does not load the status classes. The same
     * value whoever makes it first; never null.
     */
    TelemetryStatus currentStatus() {
        TelemetryStatus s = status;
        if (s == null) {
            synchronized (uploaderLock) {
                s = status;
                if (s == null) {
                    s = statusOf(decision, command, paths, 0);
                    status = s;
                }
            }
        }
        return s;
    }

    /** A quick start's period kind (see {@link #period}), read at the first need; null when only the parser can tell. */
    Catalog.Period quickPeriod() {
        Catalog.Period p = period;
        if (p == null && catalogFile != null) {
            p = CatalogSource.period(catalogFile);
            period = p;
        }
        return p;
    }

    static Telemetry catalogProblem(TelemetryOptions opts, Environment env, DebugOutput debug,
                                            TelemetryFlags flags, String reason) {
        SdkLog.log(Level.WARNING, "Telemetry is off: " + reason);
        debug.accept("telemetry is off: " + reason);
        return unavailable(opts, env, debug, flags, "no valid telemetry catalog; see the log");
    }

    /**
     * {@code args} without {@code --no-telemetry}, {@code --telemetry} and {@code --debug-telemetry}, alone
     * or with a value ({@code --no-telemetry=true}), up to a {@code --}, for an app that parses the rest itself. Costs one array copy; never throws.
     */
    public static String[] withoutTelemetryFlags(String... args) {
        return TelemetryFlags.strip(args);
    }

    static Telemetry unavailable(TelemetryOptions opts, Environment env, DebugOutput debug,
                                         TelemetryFlags flags, String reason) {
        ConsentDecision decision = ConsentDecision.unavailable(reason);
        TelemetryStatus status = statusOf(decision, "");
        logStatus(opts, status);
        return new Telemetry(opts, env, null, null, "", debug, flags, status);
    }

    static byte[] catalogBytes(TelemetryOptions opts) throws IOException {
        byte[] bytes = CatalogSource.read(opts.catalogResource, opts.classLoader);
        if (bytes == null) {
            throw new IOException("no catalog " + printable(opts.catalogResource) + " on the class path; ship the app's"
                    + " catalog there or name it with TelemetryOptions.Builder.catalogResource");
        }
        return bytes;
    }

    /** What the user agreed to, read when this run did not start recording. */
    AgreedCatalog agreement() {
        AgreedCatalog a = agreement;
        if (a == null) {
            a = AgreedCatalog.read(paths, catalog, debug);
            agreement = a;
        }
        return a;
    }

    /** This run's recorder in {@code mode}, which writes only while consent still gives that mode. */
    Recorder openRecorder(Catalog catalog, Mode mode) {
        return Recorder.open(catalog, paths.stateDirectory(), mode, options.clock,
                ReportContext.current(env, options.installMethod), options.appVersion, debug.enabled() ? debug : null,
                new ConsentStands(mode));
    }

    /**
     * Whether consent, read again now (the settings files, the variables and flags of this run), still gives
     * {@code mode}: asked before a long run writes or sends, and before a short run's close writes, so that a
     * {@code telemetry disable} in another terminal stops a run already going (DESIGN §4: off means off).
     */
    final class ConsentStands implements BooleanSupplier {
        private final Mode mode;

        ConsentStands(Mode mode) {
            this.mode = mode;
        }

        @Override
        public boolean getAsBoolean() {
            try {
                return ConsentResolver.resolve(paths, env, flags, DebugOutput.OFF).mode() == mode;
            } catch (RuntimeException e) {
                return false; // a setting that cannot be read never keeps telemetry on
            }
        }
    }

    /** Calls {@link #startUploader} when the recorder merged a closed period into a report. */
    final class ReportsWritten implements Runnable {
        @Override
        public void run() {
            startUploader();
        }
    }

    /**
     * Starts the uploader if this run has none yet, or wakes it: in both cases its thread looks at the
     * outbox at once (the hourly limit still applies). Not after {@link #close()}. Never throws.
     */
    void startUploader() {
        try {
            Uploader existing;
            synchronized (uploaderLock) {
                if (closed || recorder == null) {
                    return;
                }
                existing = uploader;
                if (existing == null) {
                    Uploader fresh = newUploader(catalog, paths, options, env, debug);
                    if (fresh == null) {
                        return; // an endpoint that must not be used: nothing is sent in this run
                    }
                    fresh.onlyWhile(new ConsentStands(Mode.ON));
                    uploader = fresh;
                    fresh.start();
                    return;
                }
            }
            existing.wake();
        } catch (RuntimeException | LinkageError e) {
            SdkLog.log(Level.DEBUG, "candor: cannot start the uploader", e);
        }
    }

    /**
     * The uploader to the catalog's endpoint or to {@code <APP>_TELEMETRY_ENDPOINT}; null (and a warning that
     * does not repeat the value, which may hold a password) when that variable breaks the rules of the
     * catalog's endpoint (docs/CATALOG.md): nothing is then sent in this run, neither there nor to the catalog's.
     */
    static Uploader newUploader(Catalog catalog, TelemetryPaths paths, TelemetryOptions opts, Environment env,
                                        DebugOutput debug) {
        String override = env.variable(paths.endpointVariable());
        boolean overridden = override != null && !override.isBlank();
        String endpoint = overridden ? override.strip() : catalog.endpoint();
        String problem = overridden ? CatalogParser.endpointProblem(endpoint) : null;
        if (problem != null) {
            // the catalog's rules; its endpoint is not a fallback the user asked for: nothing goes anywhere
            String why = "Telemetry sends nothing in this run: " + paths.endpointVariable() + " " + problem
                    + " (the reports wait on this machine); fix or unset it";
            SdkLog.warnOnce(why);
            debug.accept(why);
            return null;
        }
        debug.accept("endpoint " + endpoint + (overridden
                ? " (from " + paths.endpointVariable() + ")" : " (from the catalog)"));
        return new Uploader(paths.stateDirectory(), catalog.app(), catalog.period(), endpoint, opts.clock)
                .debugTo(debug.enabled() ? env.errors() : null);
    }

    static TelemetryStatus statusOf(ConsentDecision decision, String command) {
        return statusOf(decision, command, null, 0);
    }

    /** {@code paths}, when not null, lets the line say that a recording run's state folder cannot be written. */
    static TelemetryStatus statusOf(ConsentDecision decision, String command, TelemetryPaths paths, int newItems) {
        return new TelemetryStatus(decision.mode(), decision.source(), decision.statusLine(command, paths), newItems,
                newItems == 0 ? "" : CatalogChangeNotice.waitingLine(newItems, command, decision.mode()));
    }

    /**
     * The status of a recording run whose state folder holds the agreement of {@code otherApp}: two apps were given
     * the same folder ({@code <APP>_TELEMETRY_DIR}), and this one records nothing until it agrees again, which
     * would leave the other with nothing agreed. The line keeps the form of the "cannot be written" one: {@code
     * Telemetry: enabled (<state> is shared with the app "beta"; nothing is recorded while it holds that app's
     * agreement)}; the second line ({@link TelemetryStatus#newItemsLine}) says what to do.
     */
    static TelemetryStatus sharedStatus(ConsentDecision decision, String command, TelemetryPaths paths, String otherApp,
                                        int newItems) {
        String state = paths.stateDirectory().toString();
        String line = "Telemetry: " + (decision.mode() == Mode.ON ? "enabled (" : "local only (") + state
                + " is shared with the app \"" + otherApp + "\"; nothing is recorded while it holds that app's agreement)";
        String what = state + " is the telemetry folder of " + command + " and of " + otherApp + " (both were given"
                + " the same folder) and holds what you agreed to for " + otherApp + ", so " + command + " counts nothing:"
                + " give each app a folder of its own; `" + command + " telemetry enable` would count for " + command
                + " instead, and " + otherApp + " would count nothing";
        return new TelemetryStatus(decision.mode(), decision.source(), line, Math.max(1, newItems), what);
    }

    /**
     * The status line goes to the log once per start, at INFO, when the app has configured logging
     * (see {@link SdkLog#hostConfiguredLogging}): a server's startup log then says what telemetry
     * does. A plain command-line run does not initialize the JDK's logging just for this line.
     */
    static void logStatus(TelemetryOptions opts, TelemetryStatus status) {
        if (SdkLog.hostConfiguredLogging(opts.environment, opts.classLoader)) {
            SdkLog.log(Level.INFO, status.line());
            if (status.newItems() > 0) {
                SdkLog.log(Level.INFO, status.newItemsLine());
            }
        }
    }

    static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true") || v.equals("on") || v.equals("yes");
    }

    /**
     * The counter of one cell of {@code event}, given as field/value pairs in any order, such as
     * {@code counter("command_run", "command", "convert", "success", "true", "duration", "<100ms")}.
     * Resolving costs a catalog lookup, so keep the counter; a name or value the catalog does not
     * allow gives a no-op counter (and a line in the debug output). Thread-safe; never throws.
     */
    public Counter counter(String event, String... fieldValuePairs) {
        try {
            Recorder r = recorder;
            PendingCounters early = early();
            if (r == null && early != null) {
                Counter c = early.counter(event, fieldValuePairs); // no recorder yet: see startQuickly
                if (c != null) {
                    return c;
                }
                settled(); // the recorder is being made, or must be made now
                r = recorder;
            }
            if (r == null || !recording()) {
                return NoOp.COUNTER;
            }
            if (debug.enabled() && !TelemetryCommands.explainable(this, r.catalog(), event, fieldValuePairs)) {
                return NoOp.COUNTER; // the debug output said why
            }
            return r.counter(event, fieldValuePairs);
        } catch (RuntimeException e) {
            return NoOp.COUNTER;
        }
    }

    /**
     * Starts timing one {@code event}; {@link Timing#stop} counts it with the elapsed time in the
     * event's {@code duration} field. Costs a clock read; thread-safe; never throws.
     */
    public Timing time(String event, String... fieldValuePairs) {
        if (catalog == null && catalogFile != null && !closed) {
            // a quick start's catalog is not parsed yet, and in a short run never is: the timing names the
            // event's duration field without knowing it, and the recorder or the merge resolves the name
            return RunningTiming.start(this, event, copy(fieldValuePairs), PendingCounters.DURATION_FIELD);
        }
        settled();
        try {
            if (!recording() || catalog.event(event) == null) {
                return NoOp.TIMING;
            }
            EventSpec spec = catalog.event(event);
            String durationField = null;
            for (FieldSpec f : spec.fields()) {
                if (f.type() == FieldType.DURATION) {
                    durationField = f.name();
                    break;
                }
            }
            if (durationField == null) {
                debug.accept("time(" + event + "): the event has no duration field; nothing is counted");
                return NoOp.TIMING;
            }
            return RunningTiming.start(this, event, copy(fieldValuePairs), durationField);
        } catch (RuntimeException e) {
            return NoOp.TIMING;
        }
    }

    /**
     * Counts {@code error} in the catalog's error event (the event whose only field is an
     * {@code error_type}), reduced to its class name when that is in {@code java.*}, {@code javax.*}
     * or the app's own packages, else {@code other}; never its message. Costs a catalog lookup;
     * thread-safe; never throws.
     */
    public void error(Throwable error) {
        settled();
        try {
            Recorder r = recorder;
            if (r == null || !recording() || error == null) {
                return;
            }
            for (EventSpec spec : catalog.events()) {
                if (spec.errorTypeField() >= 0 && spec.fields().size() == 1) {
                    r.error(error);
                    return;
                }
            }
            debug.accept("error(): the catalog has no event with a single error_type field; nothing is counted");
        } catch (RuntimeException e) {
            // never into the host
        }
    }

    /** The status line of DESIGN §4, such as {@code Telemetry: disabled by --no-telemetry}. Free; thread-safe. */
    public String statusLine() {
        settled();
        return currentStatus().line();
    }

    /** What telemetry does in this run and who decided it. Free; thread-safe. */
    public TelemetryStatus status() {
        settled();
        return currentStatus();
    }

    /** The mode of this run. Free; thread-safe. */
    public Mode mode() {
        settled();
        return currentStatus().mode();
    }

    /**
     * Everything this app can collect, as plain text for a terminal or a dialog: each event of the
     * catalog, what it means, its fields with every allowed value and whether it gets local noise (the
     * words of the generated TELEMETRY.md). When telemetry is unavailable, says why. Costs formatting a
     * few hundred characters; thread-safe; never throws.
     */
    public String whatIsCollected() {
        settled();
        return TelemetryCommands.whatIsCollected(this);
    }

    /**
     * Only what changed in the catalog since the user agreed to it and waits for their OK ({@code
     * telemetry what --new}), in the words of {@link #whatIsCollected()}, with how to accept it; or a line
     * saying that nothing waits. Costs reading one small file; thread-safe; never throws.
     */
    public String whatIsNew() {
        settled();
        return TelemetryCommands.whatIsNew(this);
    }

    /**
     * The user's command {@code telemetry enable|local|disable}: saves the mode in the app's own
     * {@code telemetry.properties} (the one file written even when telemetry is off), and for
     * {@link Mode#OFF} deletes everything recorded on this machine and not yet sent. Prints what it did
     * and the resulting status line (which names any setting that still overrides the file) to
     * {@code out}; while such a setting turns telemetry off, nothing else is written. The new mode applies
     * from the next run. Costs a few small file operations;
     * thread-safe; never throws.
     *
     * @return true when the mode was saved
     */
    public boolean setMode(Mode mode, PrintStream out) {
        settled();
        return TelemetryCommands.setMode(this, mode, out);
    }

    /**
     * Runs the user's {@code telemetry} command: {@code status}, {@code enable}, {@code local},
     * {@code disable}, {@code show [--sent]}, {@code send} or {@code what}, printing to {@code out}; returns the exit
     * code (0 done, 1 failed, 2 unknown command). For apps with a plain {@code main}. Never throws.
     */
    public int runCommand(PrintStream out, String... args) {
        settled();
        return TelemetryCommands.runCommand(this, out, args);
    }

    /**
     * Ends recording: the counts of this run are saved to this machine's counter file within a
     * bounded time, without any network. Idempotent; thread-safe; never throws.
     */
    @Override
    public void close() {
        synchronized (uploaderLock) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
        }
        try {
            StartThread t = starting;
            if (t != null && t.cancelIfNotBegun(CLOSE_START_WAIT_MILLIS)) {
                // A run that ended before its start began: what it counted is written by name, without the
                // catalog's parse; a cell the catalog file does not hold takes the long way, here.
                starting = null;
                PendingCounters counted = pending;
                if (counted != null && !new ConsentStands(decision.mode()).getAsBoolean()) {
                    counted.discard(); // turned off (or switched) by another run meanwhile: nothing is written
                    counted = null;
                }
                Catalog.Period kind = counted == null ? null : quickPeriod();
                if (counted != null && (kind == null || !counted.writeShortRun(paths.stateDirectory().toFile(),
                        paths.app(), kind, decision.mode(), options.clock.millis(), catalogFile))) {
                    BackgroundStart.finish(this, catalogFile); // the recorder adopts the counters; closed below
                }
            } else {
                // Let a background start finish opening the recorder, so that what this run counted is written;
                // only then stop recording (a start still at work past the wait finds closed and drops it).
                awaitStart(CLOSE_START_WAIT_MILLIS);
            }
            synchronized (uploaderLock) {
                closed = true;
            }
            stopRecording();
        } catch (RuntimeException e) {
            // never into the host
        }
    }

    /** Stops the uploader (no I/O) and closes the recorder (bounded, local disk only). */
    void stopRecording() {
        Uploader u;
        Recorder r;
        synchronized (uploaderLock) {
            u = uploader;
            uploader = null;
            r = recorder;
            recorder = null;
        }
        if (u != null) {
            u.stop();
        }
        if (r != null) {
            r.close();
        }
    }

    /**
     * The user's {@code telemetry show}: prints the reports recorded on this machine and not yet
     * sent (the outbox, or in local mode the local reports) and the open period's running totals,
     * as pretty JSON; with {@code sent}, the copies of the reports that were sent. Costs reading a
     * few small files (and merging periods that closed); thread-safe; never throws.
     *
     * @return false when there is nothing to show because telemetry is unavailable
     */
    public boolean show(PrintStream out, boolean sent) {
        settled();
        return TelemetryCommands.show(this, out, sent);
    }

    /**
     * The user's {@code telemetry send}: builds the reports of periods that closed, uploads every
     * report in the outbox now (the hourly limit does not apply) and prints what happened to each.
     * Only when the mode is on; in local mode nothing is ever sent. Blocks the caller for at most
     * {@code timeout} (plus merging local files); thread-safe; never throws.
     *
     * @return true when every report was sent, or there was none
     */
    public boolean sendNow(PrintStream out, Duration timeout) {
        settled();
        return TelemetryCommands.sendNow(this, out, timeout);
    }

    private boolean recording() {
        return catalog != null && !closed && !options.telemetryCommand && currentStatus().mode() != Mode.OFF;
    }

    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static String[] copy(String[] pairs) {
        return pairs == null ? new String[0] : pairs.clone();
    }

    /** A {@link Timing} that counts once, at the first stop. */
    private static final class RunningTiming implements Timing {
        private final Telemetry telemetry;
        private final String event;
        private final String[] pairs;
        private final String durationField;
        private final long startNanos;
        /** Guarded by this; not an {@code AtomicBoolean}, whose first use sets up the JDK's {@code VarHandle}s. */
        private boolean stopped;

        private RunningTiming(Telemetry telemetry, String event, String[] pairs, String durationField, long startNanos) {
            this.telemetry = telemetry;
            this.event = event;
            this.pairs = pairs;
            this.durationField = durationField;
            this.startNanos = startNanos;
        }

        /**
         * A timing started now. Typed {@link Timing} here, not in {@link Telemetry#time}: there, returning this
         * class as a {@code Timing} would make the bytecode verifier load {@code Timing} with {@code Telemetry}
         * at every start, timed or not.
         */
        static Timing start(Telemetry telemetry, String event, String[] pairs, String durationField) {
            return new RunningTiming(telemetry, event, pairs, durationField, System.nanoTime());
        }

        @Override
        public void stop(String... moreFieldValuePairs) {
            try {
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                    stopped = true;
                }
                String bucket = FieldType.durationBucket(System.nanoTime() - startNanos);
                String[] more = copy(moreFieldValuePairs);
                String[] all = new String[pairs.length + more.length + 2];
                System.arraycopy(pairs, 0, all, 0, pairs.length);
                System.arraycopy(more, 0, all, pairs.length, more.length);
                all[all.length - 2] = durationField;
                all[all.length - 1] = bucket;
                telemetry.counter(event, all).increment();
            } catch (RuntimeException e) {
                // never into the host
            }
        }
    }
}
