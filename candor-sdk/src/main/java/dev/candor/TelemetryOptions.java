package dev.candor;

import dev.candor.internal.context.Environment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How an app starts telemetry: its version, how it was installed, its command-line arguments (scanned
 * for {@code --no-telemetry}, {@code --telemetry} and {@code --debug-telemetry}) and where its catalog
 * is. Immutable and thread-safe; building one costs a few small allocations. Every builder method
 * accepts {@code null} as "use the default" and never throws.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.start(TelemetryOptions.builder()
 *         .appVersion("2.0.0").installMethod("maven").args(args).build());
 * }</pre>
 */
public final class TelemetryOptions {
    /** Where the catalog is looked up on the class path unless {@link Builder#catalogResource} says otherwise. */
    public static final String DEFAULT_CATALOG = "META-INF/candor/catalog.json";

    final String appVersion;
    final String installMethod;
    final List<String> args;
    final String catalogResource;
    final ClassLoader classLoader;
    final Clock clock;
    final String command;
    final boolean telemetryCommand;
    final Environment environment;

    private TelemetryOptions(Builder b) {
        this.appVersion = b.appVersion;
        this.installMethod = b.installMethod;
        this.args = Collections.unmodifiableList(new ArrayList<>(b.args));
        this.catalogResource = b.catalogResource;
        this.classLoader = b.classLoader;
        this.clock = b.clock;
        this.command = b.command;
        this.telemetryCommand = b.telemetryCommand;
        this.environment = b.environment;
    }

    /** A builder with every default: no version, install method {@code unknown}, no arguments. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options with every default. */
    public static TelemetryOptions defaults() {
        return new Builder().build();
    }

    /** Builds {@link TelemetryOptions}; not thread-safe, each setter is a field assignment. */
    public static final class Builder {
        private String appVersion;
        private String installMethod;
        private List<String> args = List.of();
        private String catalogResource = DEFAULT_CATALOG;
        private ClassLoader classLoader;
        private Clock clock = Clock.systemUTC();
        private String command;
        private boolean telemetryCommand;
        private Environment environment = Environment.system();

        private Builder() {
        }

        /** The app's version, such as {@code 2.0.0}; reports keep only major.minor. */
        public Builder appVersion(String version) {
            this.appVersion = version;
            return this;
        }

        /** How the app was installed ({@code maven}, {@code brew}, {@code zip}, …), set by its launcher. */
        public Builder installMethod(String method) {
            this.installMethod = method;
            return this;
        }

        /** The arguments of {@code main}, scanned (never changed) for the telemetry flags. */
        public Builder args(String... args) {
            List<String> copy = new ArrayList<>();
            if (args != null) {
                for (String a : args) {
                    if (a != null) {
                        copy.add(a);
                    }
                }
            }
            this.args = copy;
            return this;
        }

        /** The catalog's class-path resource, {@value TelemetryOptions#DEFAULT_CATALOG} by default. */
        public Builder catalogResource(String resource) {
            this.catalogResource = resource == null ? DEFAULT_CATALOG : resource;
            return this;
        }

        /** The class loader that finds the catalog; by default the one that loaded the SDK. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** The clock that says which period (day) counts belong to; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = clock == null ? Clock.systemUTC() : clock;
            return this;
        }

        /** What users type to run the app, used in messages ({@code acme telemetry show}); the catalog's app name by default. */
        public Builder command(String command) {
            this.command = command;
            return this;
        }

        /**
         * Marks this run as the user managing telemetry ({@code acme telemetry enable|local|disable|show|send}):
         * no first-run notice or question, and nothing is recorded. Not for {@code telemetry status},
         * which should show the notice when it is due, like any other run.
         */
        public Builder forTelemetryCommand() {
            this.telemetryCommand = true;
            return this;
        }

        /** For the SDK's own tests: read variables, properties, terminal and streams from {@code env}. */
        Builder environment(Environment env) {
            this.environment = env == null ? Environment.system() : env;
            return this;
        }

        public TelemetryOptions build() {
            return new TelemetryOptions(this);
        }
    }

    @Override
    public String toString() {
        return "TelemetryOptions[version=" + appVersion + ", install=" + installMethod + ", args=" + args.size()
                + ", catalog=" + catalogResource + (telemetryCommand ? ", telemetry command" : "") + "]";
    }

    String[] argsArray() {
        return args.toArray(new String[0]);
    }
}
