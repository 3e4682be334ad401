package dev.candor.internal.consent;

/**
 * The one status line of DESIGN §4 for a decision, shown by {@code --version}, {@code --help} and
 * {@code telemetry status}. {@code command} is what the user types to run the app ({@code acme}).
 */
public final class StatusLine {
    private StatusLine() {
    }

    public static String of(ConsentDecision decision, String command) {
        switch (decision.mode()) {
            case ON:
                return "Telemetry: enabled (run with --no-telemetry to disable)";
            case LOCAL:
                return "Telemetry: local only (kept on this machine, never sent; see `" + command + " telemetry show`)";
            default:
                break;
        }
        switch (decision.source()) {
            case FLAG:
            case ENVIRONMENT:
            case DO_NOT_TRACK:
                return "Telemetry: disabled by " + decision.detail();
            case SYSTEM_FILE:
            case APP_FILE:
            case USER_FILE:
                return "Telemetry: disabled in " + decision.detail();
            case FIRST_RUN:
                return "Telemetry: not yet enabled (notice shown; starts on the next run)";
            default:
                return "Telemetry: disabled (" + decision.detail() + ")";
        }
    }
}
