package dev.candor;

import java.util.Objects;

/**
 * What telemetry does in this run and who decided it, for an about box, a health page or a
 * {@code --version} output. An immutable value; reading it costs nothing and is thread-safe.
 */
public final class TelemetryStatus {

    /** Who decided the mode, in the order of precedence of DESIGN §4. */
    public enum Source {
        /** The administrator's {@code /etc/candor/telemetry.properties} said {@code telemetry=false}. */
        SYSTEM_FILE,
        /** {@code --no-telemetry} or {@code --telemetry} on the command line. */
        FLAG,
        /** The app's variable, such as {@code ACME_TELEMETRY}. */
        ENVIRONMENT,
        /** {@code DO_NOT_TRACK} was set. */
        DO_NOT_TRACK,
        /** The app's own {@code telemetry.properties} (also where a first-run answer is saved). */
        APP_FILE,
        /** The user-wide {@code candor/telemetry.properties}. */
        USER_FILE,
        /** Nobody yet: the first-run notice was shown, now or in an earlier run. */
        FIRST_RUN,
        /** Telemetry could not start (for example, the app ships no valid catalog); it is off. */
        UNAVAILABLE
    }

    private final Mode mode;
    private final Source source;
    private final String line;
    private final int newItems;
    private final String newItemsLine;

    TelemetryStatus(Mode mode, Source source, String line) {
        this(mode, source, line, 0, "");
    }

    TelemetryStatus(Mode mode, Source source, String line, int newItems, String newItemsLine) {
        this.mode = Objects.requireNonNull(mode);
        this.source = Objects.requireNonNull(source);
        this.line = Objects.requireNonNull(line);
        this.newItems = newItems;
        this.newItemsLine = Objects.requireNonNull(newItemsLine);
    }

    /** What telemetry does in this run. */
    public Mode mode() {
        return mode;
    }

    /** Who decided it. */
    public Source source() {
        return source;
    }

    /** The one-line status to show the user, such as {@code Telemetry: disabled by --no-telemetry}. */
    public String line() {
        return line;
    }

    /**
     * How many items of the app's catalog are new since the user agreed (a new event, a new or changed
     * field, less noise) and are not counted until they say yes; 0 when nothing waits.
     */
    public int newItems() {
        return newItems;
    }

    /**
     * When {@link #newItems()} is not 0, a second line for {@code telemetry status} or an about box,
     * such as {@code 2 new telemetry items wait for your OK and are not counted: review with `acme
     * telemetry what --new`, accept with `acme telemetry enable`}; otherwise empty.
     */
    public String newItemsLine() {
        return newItemsLine;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TelemetryStatus)) {
            return false;
        }
        TelemetryStatus other = (TelemetryStatus) o;
        return mode == other.mode && source == other.source && line.equals(other.line)
                && newItems == other.newItems && newItemsLine.equals(other.newItemsLine);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, source, line, newItems);
    }

    /** The {@linkplain #line() status line}. */
    @Override
    public String toString() {
        return line;
    }
}
