package dev.candor.swing;

import dev.candor.Mode;
import dev.candor.Telemetry;
import dev.candor.TelemetryStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the settings panel shows and changes, without any Swing: the mode the user chose, whether they
 * may choose (not when an administrator turned telemetry off, nor when it is unavailable), the status
 * line, and the words of the last change. A choice is saved through {@link Telemetry#setMode}, so the
 * panel writes exactly the file {@code app telemetry enable|local|disable} writes. Not thread-safe:
 * use it from one thread (the panel uses the event dispatch thread).
 */
public final class ConsentChoice {
    private final Telemetry telemetry;
    private Mode mode;
    private String statusLine;
    private String lastMessage = "";

    /** The choice as {@code telemetry} decided it at start. */
    public ConsentChoice(Telemetry telemetry) {
        this.telemetry = telemetry;
        this.mode = telemetry.mode();
        this.statusLine = telemetry.statusLine();
    }

    /** The mode shown as chosen: this run's mode, then whatever the user chose since. */
    public Mode mode() {
        return mode;
    }

    /** The status line after the last change (DESIGN §4's words). */
    public String statusLine() {
        return statusLine;
    }

    /** What the last change did (saved where, what was deleted), or empty before any change. */
    public String lastMessage() {
        return lastMessage;
    }

    /** False when nothing the user chooses here can matter: the administrator turned telemetry off, or it is unavailable. */
    public boolean editable() {
        TelemetryStatus.Source source = telemetry.status().source();
        return source != TelemetryStatus.Source.SYSTEM_FILE && source != TelemetryStatus.Source.UNAVAILABLE;
    }

    /**
     * Saves {@code chosen} as the user's choice (a few small file operations; {@link Mode#OFF} also
     * deletes what was recorded and not sent). Returns true when it was saved; the status line then says
     * what telemetry will do, including any setting that still overrides the choice.
     */
    public boolean choose(Mode chosen) {
        if (chosen == null || !editable()) {
            return false;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean saved;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            saved = telemetry.setMode(chosen, out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8).strip();
        int lastBreak = text.lastIndexOf('\n');
        String last = lastBreak < 0 ? text : text.substring(lastBreak + 1).strip();
        if (last.startsWith("Telemetry:")) {
            statusLine = last;
            lastMessage = lastBreak < 0 ? "" : text.substring(0, lastBreak).strip();
        } else {
            lastMessage = text;
        }
        if (saved) {
            mode = chosen;
        }
        return saved;
    }

    /** Everything the app can collect, as {@link Telemetry#whatIsCollected()} words it. */
    public String whatIsCollected() {
        return telemetry.whatIsCollected();
    }
}
