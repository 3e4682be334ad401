package dev.candor.picocli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The telemetry flags of DESIGN §4 and §6 as picocli options, so that a command accepts them and lists
 * them in its help: {@code --no-telemetry}, {@code --telemetry} and {@code --debug-telemetry}. The SDK
 * reads them itself from the arguments given to {@code TelemetryOptions.Builder.args}; these fields only
 * say what picocli parsed. {@link TelemetryCommandLine#install} adds this mixin to every command of an
 * app; an app may also declare it with {@code @Mixin}.
 */
@Command
public class TelemetryMixin {
    /** The name this mixin has when {@link TelemetryCommandLine#install} adds it. */
    public static final String NAME = "candorTelemetry";

    @Option(names = "--no-telemetry", description = "Turn telemetry off for this run.")
    boolean noTelemetry;

    @Option(names = "--telemetry", description = "Turn telemetry on for this run (unless an administrator turned it off).")
    boolean telemetry;

    @Option(names = "--debug-telemetry", description = "Print each recorded event and each report to stderr.")
    boolean debugTelemetry;

    /** Whether {@code --no-telemetry} was given. */
    public boolean noTelemetry() {
        return noTelemetry;
    }

    /** Whether {@code --telemetry} was given. */
    public boolean telemetry() {
        return telemetry;
    }

    /** Whether {@code --debug-telemetry} was given. */
    public boolean debugTelemetry() {
        return debugTelemetry;
    }
}
