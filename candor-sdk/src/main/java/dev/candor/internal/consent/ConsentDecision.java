package dev.candor.internal.consent;

import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The outcome of consent resolution: the mode of this run, the source that decided it, and what
 * exactly decided (the flag, {@code ACME_TELEMETRY=0}, a file's path) so that the status line can
 * name it. {@link #noticeDue()} means nobody decided yet and the first-run notice must be shown.
 */
public final class ConsentDecision {
    private final Mode mode;
    private final Source source;
    private final String detail;
    private final boolean noticeDue;

    private ConsentDecision(Mode mode, Source source, String detail, boolean noticeDue) {
        this.mode = mode;
        this.source = source;
        this.detail = detail;
        this.noticeDue = noticeDue;
    }

    static ConsentDecision decided(Mode mode, Source source, String detail) {
        return new ConsentDecision(Objects.requireNonNull(mode), Objects.requireNonNull(source), detail, false);
    }

    /** Nobody decided and the notice was never shown: off in this run until the notice is dealt with. */
    static ConsentDecision noticeDue() {
        return new ConsentDecision(Mode.OFF, Source.FIRST_RUN, null, true);
    }

    /** What {@link #statusLine} says when the notice is still to be shown. */
    static final String NOTICE_NEXT_RUN = "a notice comes first, on the next run";

    /** The notice was shown (there was nobody to ask): off in this run, on from the next. */
    static ConsentDecision notYetEnabled() {
        return notYetEnabled(null);
    }

    /**
     * Nobody decided and this run is off; {@code why} is what the status line says in its parentheses, such as
     * {@code not answered; asked again on the next run}, or null for a notice shown (on from the next run).
     */
    static ConsentDecision notYetEnabled(String why) {
        return new ConsentDecision(Mode.OFF, Source.FIRST_RUN, why, false);
    }

    /** The status line's words for a state folder that cannot be written. */
    static String unwritable(Path state) {
        return state + " cannot be written; nothing is recorded until it can";
    }

    /** Telemetry cannot run at all (no valid catalog); {@code reason} says why, for the status line. */
    public static ConsentDecision unavailable(String reason) {
        return new ConsentDecision(Mode.OFF, Source.UNAVAILABLE, reason, false);
    }

    public Mode mode() {
        return mode;
    }

    public Source source() {
        return source;
    }

    /**
     * The flag, the variable assignment or the file path that decided; for a first run that decided nothing,
     * null or why ({@link #notYetEnabled(String)}).
     */
    public String detail() {
        return detail;
    }

    /** True when the first-run notice still has to be shown before the mode is known. */
    public boolean isNoticeDue() {
        return noticeDue;
    }

    /**
     * The one status line of DESIGN §4 for this decision, shown by {@code --version}, {@code --help} and
     * {@code telemetry status}. {@code command} is what the user types to run the app ({@code acme}).
     */
    // ifs, not switches on the enums: each such switch compiles to one more class to load.
    public String statusLine(String command) {
        if (mode == Mode.ON) {
            return "Telemetry: enabled (run with --no-telemetry to disable)";
        }
        if (mode == Mode.LOCAL) {
            return "Telemetry: local only (kept on this machine, never sent; see `" + command + " telemetry show`)";
        }
        if (source == Source.FLAG || source == Source.ENVIRONMENT || source == Source.DO_NOT_TRACK) {
            return "Telemetry: disabled by " + detail;
        }
        if (source == Source.SYSTEM_FILE || source == Source.APP_FILE || source == Source.USER_FILE) {
            return "Telemetry: disabled in " + detail;
        }
        if (source == Source.FIRST_RUN) {
            return "Telemetry: not yet enabled (" + (noticeDue ? NOTICE_NEXT_RUN
                    : detail == null ? "notice shown; starts on the next run" : detail) + ")";
        }
        return "Telemetry: disabled (" + detail + ")";
    }

    /**
     * {@link #statusLine(String)}, except that a run that would record says so when the state folder of
     * {@code paths} cannot be written, or is a link to nowhere ({@link TelemetryPaths#canRecord}; a few
     * file-system checks, made only then): {@code Telemetry: enabled
     * (<folder> cannot be written; nothing is recorded until it can)}, or {@code local only (...)}.
     */
    public String statusLine(String command, TelemetryPaths paths) {
        if (mode != Mode.OFF && paths != null && !paths.canRecord()) {
            return "Telemetry: " + (mode == Mode.ON ? "enabled (" : "local only (") + unwritable(paths.stateDirectory()) + ")";
        }
        return statusLine(command);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConsentDecision)) {
            return false;
        }
        ConsentDecision other = (ConsentDecision) o;
        return mode == other.mode && source == other.source && Objects.equals(detail, other.detail)
                && noticeDue == other.noticeDue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, source, detail, noticeDue);
    }

    @Override
    public String toString() {
        return mode + " by " + source + (detail == null ? "" : " (" + detail + ")") + (noticeDue ? ", notice due" : "");
    }
}
