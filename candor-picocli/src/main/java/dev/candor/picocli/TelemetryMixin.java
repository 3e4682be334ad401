package dev.candor.picocli;

import java.util.List;
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
 *
 * <p>A flag may be given more than once, and {@code --telemetry} with {@code --no-telemetry}: that is no usage
 * error, and the rule is the SDK's, whatever the order: {@code --no-telemetry} (given at least once, alone or true)
 * wins, so that a flag turning telemetry off always does. Repeating {@code --debug-telemetry} is the same as
 * giving it once.
 */
@Command
public class TelemetryMixin {
    /** The name this mixin has when {@link TelemetryCommandLine#install} adds it. */
    public static final String NAME = "candorTelemetry";

    // Lists, not booleans: picocli refuses a single-valued option given twice, and a flag given twice (a wrapper
    // script adding --no-telemetry to a command line that has it) means what it means once.
    @Option(names = "--no-telemetry", arity = "0", converter = FlagValue.class,
            description = "Turn telemetry off for this run.")
    List<Boolean> noTelemetry;

    @Option(names = "--telemetry", arity = "0", converter = FlagValue.class,
            description = "Turn telemetry on for this run (unless an administrator turned it off).")
    List<Boolean> telemetry;

    @Option(names = "--debug-telemetry", arity = "0", converter = FlagValue.class,
            description = "Print each recorded event and each report to stderr.")
    List<Boolean> debugTelemetry;

    /** Whether {@code --no-telemetry} was given (once or more). */
    public boolean noTelemetry() {
        return given(noTelemetry);
    }

    /** Whether {@code --telemetry} was given (once or more); {@link #noTelemetry} wins over it. */
    public boolean telemetry() {
        return given(telemetry);
    }

    /** Whether {@code --debug-telemetry} was given (once or more). */
    public boolean debugTelemetry() {
        return given(debugTelemetry);
    }

    /** True when some occurrence of the flag was the flag alone or with a true-like value, as the SDK reads it. */
    private static boolean given(List<Boolean> values) {
        return values != null && values.contains(Boolean.TRUE);
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
