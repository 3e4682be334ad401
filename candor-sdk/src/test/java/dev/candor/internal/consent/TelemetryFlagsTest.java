package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.context.TestEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The flags as picocli accepts them: alone, or with a value after {@code =}. */
class TelemetryFlagsTest {

    @ParameterizedTest(name = "{0} -> off {1}, on {2}, debug {3}")
    @CsvSource({
        "--no-telemetry,           true,  false, false",
        "--no-telemetry=true,      true,  false, false",
        "--no-telemetry=YES,       true,  false, false",
        "--no-telemetry=1,         true,  false, false",
        "--no-telemetry=false,     false, false, false",
        "--no-telemetry=0,         false, false, false",
        "--no-telemetry=maybe,     true,  false, false",
        "--no-telemetry=,          true,  false, false",
        "--telemetry,              false, true,  false",
        "--telemetry=on,           false, true,  false",
        "--telemetry=false,        false, false, false",
        "--telemetry=No,           false, false, false",
        "--telemetry=maybe,        true,  false, false",
        "--debug-telemetry,        false, false, true",
        "--debug-telemetry=true,   false, false, true",
        "--debug-telemetry=off,    false, false, false",
        "--debug-telemetry=loud,   false, false, true",
        "--telemetry-level=3,      false, false, false",
        "--no-telemetryx,          false, false, false",
    })
    void aFlagWithAValueActsAsTheFlagOrItsAbsence(String arg, boolean off, boolean on, boolean debug) {
        TelemetryFlags flags = TelemetryFlags.scan(new String[] {arg, "count", "f.txt"});
        assertThat(flags.off()).as("off").isEqualTo(off);
        assertThat(flags.on()).as("on").isEqualTo(on);
        assertThat(flags.debug()).as("debug").isEqualTo(debug);
    }

    @ParameterizedTest
    @CsvSource({"--no-telemetry=true", "--telemetry=false", "--debug-telemetry=maybe", "--no-telemetry"})
    void stripRemovesEveryFormOfTheFlagsBeforeTheDoubleDash(String flag) {
        assertThat(TelemetryFlags.strip(new String[] {flag, "count", "--", flag}))
                .containsExactly("count", "--", flag);
        assertThat(TelemetryFlags.scan(new String[] {"count", "--", flag}).off()).as("after --: data").isFalse();
    }

    @ParameterizedTest
    @CsvSource({"--telemetry-level=3", "--no-telemetryx"})
    void otherOptionsStay(String option) {
        assertThat(TelemetryFlags.strip(new String[] {option})).containsExactly(option);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--no-telemetry                      | --no-telemetry",
        "--no-telemetry=maybe                | --no-telemetry",
        "--telemetry=banana                  | --telemetry=banana",
        "--telemetry=banana --no-telemetry   | --no-telemetry",
        "--no-telemetry=yes --telemetry=x    | --no-telemetry",
        "--telemetry=b --telemetry=c         | --telemetry=b",
    })
    void theStatusLineNamesTheFlagTheUserTyped(String args, String named, @TempDir Path root) {
        TelemetryFlags flags = TelemetryFlags.scan(args.split(" "));
        assertThat(flags.offBy()).isEqualTo(named);
        ConsentDecision d = ConsentResolver.resolve(TelemetryPaths.of("acme", new TestEnvironment(root)),
                new TestEnvironment(root), flags, line -> { });
        assertThat(d.statusLine("acme")).isEqualTo("Telemetry: disabled by " + named);
    }

    @Test
    void aLongValueIsShortenedInTheStatusLine() {
        String arg = "--telemetry=" + "x".repeat(100);
        assertThat(TelemetryFlags.scan(new String[] {arg}).offBy()).hasSize(40).startsWith("--telemetry=xxx").endsWith("\u2026");
        assertThat(TelemetryFlags.scan(new String[] {"count"}).offBy()).isNull();
        assertThat(TelemetryFlags.scan(new String[] {"--telemetry=a\nTelemetry: enabled\r\u007f"}).offBy())
                .as("one line, whatever was typed").isEqualTo("--telemetry=a?Telemetry: enabled??");
    }
}
