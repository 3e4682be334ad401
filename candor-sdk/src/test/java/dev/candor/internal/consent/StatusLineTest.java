package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import org.junit.jupiter.api.Test;

/** The seven status lines of DESIGN §4, word for word. */
class StatusLineTest {

    @Test
    void theSevenLines() {
        assertThat(ConsentDecision.decided(Mode.ON, Source.APP_FILE, "/x").statusLine("acme"))
                .isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
        assertThat(ConsentDecision.decided(Mode.OFF, Source.FLAG, "--no-telemetry").statusLine("acme"))
                .isEqualTo("Telemetry: disabled by --no-telemetry");
        assertThat(ConsentDecision.decided(Mode.OFF, Source.ENVIRONMENT, "ACME_TELEMETRY=0").statusLine("acme"))
                .isEqualTo("Telemetry: disabled by ACME_TELEMETRY=0");
        assertThat(ConsentDecision.decided(Mode.OFF, Source.DO_NOT_TRACK, "DO_NOT_TRACK=1").statusLine("acme"))
                .isEqualTo("Telemetry: disabled by DO_NOT_TRACK=1");
        assertThat(ConsentDecision.decided(Mode.OFF, Source.USER_FILE, "/h/.config/candor/telemetry.properties").statusLine("acme"))
                .isEqualTo("Telemetry: disabled in /h/.config/candor/telemetry.properties");
        assertThat(ConsentDecision.notYetEnabled().statusLine("acme"))
                .isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
        assertThat(ConsentDecision.decided(Mode.LOCAL, Source.ENVIRONMENT, "ACME_TELEMETRY=local").statusLine("acme"))
                .isEqualTo("Telemetry: local only (kept on this machine, never sent; see `acme telemetry show`)");
    }

    @Test
    void everyFileNamesItself() {
        for (Source s : new Source[] {Source.SYSTEM_FILE, Source.APP_FILE, Source.USER_FILE}) {
            assertThat(ConsentDecision.decided(Mode.OFF, s, "/some/telemetry.properties").statusLine("acme"))
                    .isEqualTo("Telemetry: disabled in /some/telemetry.properties");
        }
    }

    @Test
    void userValuesAreShownAsGivenButOnlyPrintable() {
        assertThat(ConsentResolver.printable(" off ")).isEqualTo("off");
        assertThat(ConsentResolver.printable("a\u001b[31mb")).isEqualTo("a?[31mb");
        assertThat(ConsentResolver.printable("x".repeat(100))).hasSize(33);
    }
}
