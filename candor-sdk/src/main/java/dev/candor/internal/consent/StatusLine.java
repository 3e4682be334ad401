package dev.candor.internal.consent;

import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;

/**
 * The one status line of DESIGN §4 for a decision, shown by {@code --version}, {@code --help} and
 * {@code telemetry status}. {@code command} is what the user types to run the app ({@code acme}).
 */
public final class StatusLine {
    private StatusLine() {
    }

    // ifs, not switches on the enums: each such switch compiles to one more class to load at every start.
    public static String of(ConsentDecision decision, String command) {
        Mode mode = decision.mode();
        if (mode == Mode.ON) {
            return "Telemetry: enabled (run with --no-telemetry to disable)";
        }
        if (mode == Mode.LOCAL) {
            return "Telemetry: local only (kept on this machine, never sent; see `" + command + " telemetry show`)";
        }
        Source source = decision.source();
        if (source == Source.FLAG || source == Source.ENVIRONMENT || source == Source.DO_NOT_TRACK) {
            return "Telemetry: disabled by " + decision.detail();
        }
        if (source == Source.SYSTEM_FILE || source == Source.APP_FILE || source == Source.USER_FILE) {
            return "Telemetry: disabled in " + decision.detail();
        }
        if (source == Source.FIRST_RUN) {
            return "Telemetry: not yet enabled (notice shown; starts on the next run)";
        }
        return "Telemetry: disabled (" + decision.detail() + ")";
    }
}
