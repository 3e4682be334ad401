package dev.candor;

import dev.candor.TelemetryStatus.Source;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.consent.AppFacts;
import dev.candor.internal.consent.ConsentDecision;
import dev.candor.internal.consent.ConsentResolver;
import dev.candor.internal.consent.FirstRun;
import dev.candor.internal.consent.ModeChange;
import dev.candor.internal.consent.StatusLine;
import dev.candor.internal.consent.TelemetryFlags;
import dev.candor.internal.consent.TelemetryPaths;
import dev.candor.internal.context.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final System.Logger LOG = System.getLogger("dev.candor");
    private static final Counter NO_OP_COUNTER = new Counter() {
        @Override
        public void increment() {
        }

        @Override
        public void add(long n) {
        }
    };
    private static final Timing NO_OP_TIMING = more -> { };

    private final TelemetryOptions options;
    private final Environment env;
    private final Catalog catalog;
    private final TelemetryPaths paths;
    private final String command;
    private final DebugOutput debug;
    private final TelemetryFlags flags;
    private volatile TelemetryStatus status;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Telemetry(TelemetryOptions options, Environment env, Catalog catalog, TelemetryPaths paths,
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
        try {
            Catalog catalog;
            try {
                catalog = loadCatalog(opts);
            } catch (CatalogException | IOException e) {
                String reason = e.getMessage();
                LOG.log(Level.WARNING, "Telemetry is off: " + reason);
                debug.accept("telemetry is off: " + reason);
                return unavailable(opts, env, debug, flags, "no valid telemetry catalog; see the log");
            }
            TelemetryPaths paths = TelemetryPaths.of(catalog.app(), env);
            if (!debug.enabled() && isTrue(env.variable(paths.debugVariable()))) {
                debug = DebugOutput.to(env.errors());
            }
            String command = opts.command == null || opts.command.isBlank() ? catalog.app() : opts.command;
            debug.accept("app " + catalog.app() + ", catalog sha256 " + catalog.sha256());
            debug.accept("files: " + paths);
            ConsentDecision decision = ConsentResolver.resolve(paths, env, flags, debug);
            if (decision.isNoticeDue() && !opts.telemetryCommand) {
                decision = FirstRun.decide(facts(catalog, command, opts), paths, env, debug);
            }
            TelemetryStatus status = statusOf(decision, command);
            logStatus(status);
            return new Telemetry(opts, env, catalog, paths, command, debug, flags, status);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.log(Level.WARNING, "Telemetry is off: it failed to start", e);
            debug.accept("telemetry failed to start: " + e);
            return unavailable(opts, env, debug, flags, "failed to start; see the log");
        }
    }

    /**
     * {@code args} without {@code --no-telemetry}, {@code --telemetry} and {@code --debug-telemetry}
     * (up to a {@code --}), for an app that parses the rest itself. Costs one array copy; never throws.
     */
    public static String[] withoutTelemetryFlags(String... args) {
        return TelemetryFlags.strip(args);
    }

    private static Telemetry unavailable(TelemetryOptions opts, Environment env, DebugOutput debug,
                                         TelemetryFlags flags, String reason) {
        ConsentDecision decision = ConsentDecision.unavailable(reason);
        TelemetryStatus status = statusOf(decision, "");
        logStatus(status);
        return new Telemetry(opts, env, null, null, "", debug, flags, status);
    }

    private static Catalog loadCatalog(TelemetryOptions opts) throws IOException, CatalogException {
        ClassLoader loader = opts.classLoader != null ? opts.classLoader : Telemetry.class.getClassLoader();
        String resource = opts.catalogResource;
        InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("no catalog " + printable(resource) + " on the class path; ship the app's catalog there"
                    + " or name it with TelemetryOptions.Builder.catalogResource");
        }
        try (InputStream catalogStream = in) {
            return CatalogParser.parse(catalogStream.readAllBytes(), printable(resource));
        }
    }

    private static AppFacts facts(Catalog catalog, String command, TelemetryOptions opts) {
        List<AppFacts.EventLine> events = new ArrayList<>();
        for (EventSpec event : catalog.events()) {
            events.add(new AppFacts.EventLine(event.description(), event.noised()));
        }
        return new AppFacts(catalog.app(), command, catalog.title(), opts.appVersion, catalog.owner(),
                catalog.policyUrl(), events);
    }

    static TelemetryStatus statusOf(ConsentDecision decision, String command) {
        return new TelemetryStatus(decision.mode(), decision.source(), StatusLine.of(decision, command));
    }

    /**
     * The status line goes to the log once per start: at INFO when the app routes {@code System.Logger}
     * somewhere of its own, at DEBUG under the JDK's default logging, which would otherwise print it to
     * the console of every command-line run.
     */
    private static void logStatus(TelemetryStatus status) {
        LOG.log(hostConfiguredLogging() ? Level.INFO : Level.DEBUG, status.line());
    }

    private static boolean hostConfiguredLogging() {
        try {
            String finder = System.LoggerFinder.getLoggerFinder().getClass().getName();
            return !(finder.startsWith("jdk.internal.") || finder.startsWith("sun.util.logging."));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isTrue(String value) {
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
            if (!recording()) {
                return NO_OP_COUNTER;
            }
            String[] values = cellValues(event, fieldValuePairs);
            if (values == null) {
                return NO_OP_COUNTER;
            }
            return debug.enabled() ? new DebugCounter(event, fieldValuePairs, debug) : NO_OP_COUNTER;
        } catch (RuntimeException e) {
            return NO_OP_COUNTER;
        }
    }

    /**
     * Starts timing one {@code event}; {@link Timing#stop} counts it with the elapsed time in the
     * event's {@code duration} field. Costs a clock read; thread-safe; never throws.
     */
    public Timing time(String event, String... fieldValuePairs) {
        try {
            if (!recording() || catalog.event(event) == null) {
                return NO_OP_TIMING;
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
                return NO_OP_TIMING;
            }
            return new RunningTiming(this, event, copy(fieldValuePairs), durationField, System.nanoTime());
        } catch (RuntimeException e) {
            return NO_OP_TIMING;
        }
    }

    /**
     * Counts {@code error} in the catalog's error event (the event whose only field is an
     * {@code error_type}), reduced to its class name when that is in {@code java.*}, {@code javax.*}
     * or the app's own packages, else {@code other}; never its message. Costs a catalog lookup;
     * thread-safe; never throws.
     */
    public void error(Throwable error) {
        try {
            if (!recording() || error == null) {
                return;
            }
            for (EventSpec spec : catalog.events()) {
                if (spec.errorTypeField() >= 0 && spec.fields().size() == 1) {
                    String type = ErrorTypes.reduce(error, catalog.packages());
                    counter(spec.name(), spec.fields().get(0).name(), type).increment();
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
        return status.line();
    }

    /** What telemetry does in this run and who decided it. Free; thread-safe. */
    public TelemetryStatus status() {
        return status;
    }

    /** The mode of this run. Free; thread-safe. */
    public Mode mode() {
        return status.mode();
    }

    /**
     * The user's command {@code telemetry enable|local|disable}: saves the mode in the app's own
     * {@code telemetry.properties} (the one file written even when telemetry is off), and for
     * {@link Mode#OFF} deletes everything recorded on this machine and not yet sent. Prints what it did
     * and the resulting status line (which names any setting that still overrides the file) to
     * {@code out}. The new mode applies from the next run. Costs a few small file operations;
     * thread-safe; never throws.
     *
     * @return true when the mode was saved
     */
    public boolean setMode(Mode mode, PrintStream out) {
        PrintStream o = out == null ? env.errors() : out;
        try {
            if (mode == null || paths == null) {
                o.println(paths == null ? "Telemetry is unavailable in this app: " + status.line()
                        : "No mode given: use enable, local or disable.");
                return false;
            }
            ModeChange.Result result = ModeChange.apply(paths, mode, catalog.app());
            o.println(result.message());
            ConsentDecision now = ConsentResolver.resolve(paths, env, flags, debug);
            if (now.mode() == Mode.OFF) {
                status = statusOf(now, command); // off from this moment, not only from the next run
            }
            o.println(StatusLine.of(now, command));
            return result.saved();
        } catch (RuntimeException e) {
            o.println("Could not change the telemetry mode: " + e);
            return false;
        }
    }

    /**
     * Runs the user's {@code telemetry} command: {@code status}, {@code enable}, {@code local},
     * {@code disable}, {@code show [--sent]} or {@code send}, printing to {@code out}; returns the exit
     * code (0 done, 1 failed, 2 unknown command). For apps with a plain {@code main}. Never throws.
     */
    public int runCommand(PrintStream out, String... args) {
        PrintStream o = out == null ? System.out : out;
        try {
            String[] rest = TelemetryFlags.strip(args);
            String sub = rest.length == 0 ? "status" : rest[0];
            switch (sub) {
                case "status":
                    o.println(statusLine());
                    return 0;
                case "enable":
                    return setMode(Mode.ON, o) ? 0 : 1;
                case "local":
                    return setMode(Mode.LOCAL, o) ? 0 : 1;
                case "disable":
                    return setMode(Mode.OFF, o) ? 0 : 1;
                default:
                    o.println("Unknown telemetry command \"" + sub + "\"; use: " + command
                            + " telemetry status|enable|local|disable|show [--sent]|send");
                    return 2;
            }
        } catch (RuntimeException e) {
            o.println("The telemetry command failed: " + e);
            return 1;
        }
    }

    /**
     * Ends recording: the counts of this run are saved to this machine's counter file within a
     * bounded time, without any network. Idempotent; thread-safe; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
    }

    private boolean recording() {
        return catalog != null && !closed.get() && !options.telemetryCommand && status.mode() != Mode.OFF;
    }

    /**
     * The event's field values in field order for field/value pairs in any order, or {@code null}
     * (with a debug line) when the catalog does not allow them.
     */
    private String[] cellValues(String event, String[] pairs) {
        EventSpec spec = event == null ? null : catalog.event(event);
        if (spec == null) {
            debug.accept("unknown event \"" + printable(event) + "\"; nothing is counted");
            return null;
        }
        if (pairs == null || pairs.length % 2 != 0) {
            debug.accept("event " + event + ": fields must come as name/value pairs; nothing is counted");
            return null;
        }
        String[] values = new String[spec.fields().size()];
        for (int i = 0; i < pairs.length; i += 2) {
            FieldSpec field = pairs[i] == null ? null : spec.field(pairs[i]);
            if (field == null) {
                debug.accept("event " + event + " has no field \"" + printable(pairs[i]) + "\"; nothing is counted");
                return null;
            }
            values[spec.fields().indexOf(field)] = pairs[i + 1];
        }
        try {
            spec.cellIndex(values);
            return values;
        } catch (IllegalArgumentException e) {
            debug.accept(e.getMessage() + "; nothing is counted");
            return null;
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static String[] copy(String[] pairs) {
        return pairs == null ? new String[0] : pairs.clone();
    }

    /** Prints each increment in debug mode. */
    private static final class DebugCounter implements Counter {
        private final String line;
        private final DebugOutput debug;

        DebugCounter(String event, String[] pairs, DebugOutput debug) {
            StringBuilder b = new StringBuilder("event ").append(event).append(" {");
            for (int i = 0; i < pairs.length; i += 2) {
                b.append(i == 0 ? "" : ", ").append(pairs[i]).append('=').append(pairs[i + 1]);
            }
            this.line = b.append('}').toString();
            this.debug = debug;
        }

        @Override
        public void increment() {
            debug.accept(line);
        }

        @Override
        public void add(long n) {
            if (n > 0) {
                debug.accept(line + " +" + n);
            }
        }
    }

    /** A {@link Timing} that counts once, at the first stop. */
    private static final class RunningTiming implements Timing {
        private final Telemetry telemetry;
        private final String event;
        private final String[] pairs;
        private final String durationField;
        private final long startNanos;
        private final AtomicBoolean stopped = new AtomicBoolean();

        RunningTiming(Telemetry telemetry, String event, String[] pairs, String durationField, long startNanos) {
            this.telemetry = telemetry;
            this.event = event;
            this.pairs = pairs;
            this.durationField = durationField;
            this.startNanos = startNanos;
        }

        @Override
        public void stop(String... moreFieldValuePairs) {
            try {
                if (!stopped.compareAndSet(false, true)) {
                    return;
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
