package dev.candor.picocli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The telemetry flags of DESIGN §4 and §6 as picocli options, so that a command accepts them and lists
 * them in its help: {@code --no-telemetry}, {@code --telemetry} and {@code --debug-telemetry}. The SDK
 * reads them itself from the arguments given to {@code TelemetryOptions.Builder.args}; these fields only
 * say what picocli parsed. {@link TelemetryCommandLine#install} adds this mixin to every command of an
 * app; an app may also declare it with {@code @Mixin}.
 *
 * <p>Like any picocli boolean option, each flag may carry a value ({@code --no-telemetry=true}); the words
 * are those the SDK reads from the arguments ({@code 1|true|on|yes}: the flag, {@code 0|false|off|no}: not
 * given), so that picocli and the SDK never disagree; any other value is a usage error here (and off for
 * the SDK, which reads the arguments before picocli does).
 */
@Command
public class TelemetryMixin {
    /** The name this mixin has when {@link TelemetryCommandLine#install} adds it. */
    public static final String NAME = "candorTelemetry";

    @Option(names = "--no-telemetry", converter = FlagValue.class, description = "Turn telemetry off for this run.")
    boolean noTelemetry;

    @Option(names = "--telemetry", converter = FlagValue.class, description = "Turn telemetry on for this run (unless an administrator turned it off).")
    boolean telemetry;

    @Option(names = "--debug-telemetry", converter = FlagValue.class, description = "Print each recorded event and each report to stderr.")
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

    /** A flag's value, in the SDK's words; anything else is refused with the words allowed. */
    static final class FlagValue implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("1") || v.equals("true") || v.equals("on") || v.equals("yes")) {
                return Boolean.TRUE;
            }
            if (v.equals("0") || v.equals("false") || v.equals("off") || v.equals("no")) {
                return Boolean.FALSE;
            }
            throw new TypeConversionException("'" + value + "' is not one of 1|true|on|yes, 0|false|off|no");
        }
    }
}
