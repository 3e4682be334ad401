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
 * panel writes exactly the file {@code app telemetry enable|local|disable} writes.
 *
 * <p>Saving is split in two so that the file work can run off the UI thread: {@link #save(Mode)} does the
 * file operations and touches nothing of this object, and {@link #apply(Saved)} takes its outcome into
 * what the panel shows. {@link #choose(Mode)} does both at once. Apart from {@code save} and
 * {@link #whatWasRecorded()}, not thread-safe: use it from one thread (the panel uses the event dispatch thread).
 */
public final class ConsentChoice {
    /** How a choice reaches the disk; {@link Telemetry#setMode} outside tests. */
    interface ModeWriter {
        boolean write(Mode mode, PrintStream out);
    }

    /** What one attempt to save a choice did: made on any thread, then taken in by {@link #apply(Saved)}. */
    static final class Saved {
        final Mode chosen;
        final boolean saved;
        final String text;

        Saved(Mode chosen, boolean saved, String text) {
            this.chosen = chosen;
            this.saved = saved;
            this.text = text;
        }

        /** Whether the choice is on disk now. */
        boolean saved() {
            return saved;
        }
    }

    /** DESIGN §4's line for a first run whose notice was shown: telemetry starts with the next run. */
    static final String NOTICE_SHOWN_LINE = "Telemetry: not yet enabled (notice shown; starts on the next run)";

    private final Telemetry telemetry;
    private final ModeWriter writer;
    private Mode mode;
    private String statusLine;
    private String waitingLine;
    private String lastMessage = "";

    /** The choice as {@code telemetry} decided it at start. */
    public ConsentChoice(Telemetry telemetry) {
        this(telemetry, telemetry::setMode);
    }

    /** A choice whose saves go through {@code writer} (tests watch the saving thread, or make it fail). */
    ConsentChoice(Telemetry telemetry, ModeWriter writer) {
        this.telemetry = telemetry;
        this.writer = writer;
        this.mode = shownMode(telemetry.status());
        this.statusLine = telemetry.statusLine();
        this.waitingLine = telemetry.status().newItemsLine();
    }

    /**
     * The mode shown as chosen: the mode in force, then whatever the user chose since. Before anyone decided,
     * once the first-run notice was shown, that is on: this run records nothing, but the next one records
     * and sends unless the user turns it off (DESIGN §4), so the box shows what will happen and clearing it
     * is how to say no. (Shown clear, it looked off to a user who wanted off, and telemetry started on the
     * next run.)
     */
    public Mode mode() {
        return mode;
    }

    /** The mode to show for {@code status}: its mode, or on when the notice was shown and telemetry starts next run. */
    static Mode shownMode(TelemetryStatus status) {
        boolean startsNextRun = status.source() == TelemetryStatus.Source.FIRST_RUN
                && status.line().equals(NOTICE_SHOWN_LINE);
        return startsNextRun ? Mode.ON : status.mode();
    }

    /** The status line after the last change (DESIGN §4's words). */
    public String statusLine() {
        return statusLine;
    }

    /**
     * The line saying how many items of a newer catalog wait for the user's OK (as {@code telemetry
     * status} prints it), or empty when none wait. A saved choice ends the wait: on or local agrees
     * to the current catalog, off counts nothing.
     */
    public String waitingLine() {
        return waitingLine;
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
     * what telemetry will do, including any setting that still overrides the choice. When it was not
     * saved, the mode stays as it was and {@link #lastMessage()} says why. Runs on the calling thread.
     */
    public boolean choose(Mode chosen) {
        Saved outcome = save(chosen);
        apply(outcome);
        return outcome.saved;
    }

    /**
     * The file work of {@link #choose(Mode)}, safe on any thread (one save at a time): it reads and
     * changes nothing of this object, so the panel can run it off the event dispatch thread. Never throws.
     */
    Saved save(Mode chosen) {
        if (chosen == null || !editable()) {
            return new Saved(chosen, false, null);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean saved;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            try {
                saved = writer.write(chosen, out);
            } catch (RuntimeException e) {
                out.println("Could not save the telemetry choice: " + e);
                saved = false;
            }
        }
        return new Saved(chosen, saved, bytes.toString(StandardCharsets.UTF_8).strip());
    }

    /** Takes in what {@link #save(Mode)} did: the mode (only if it was saved), the status line, the message. */
    void apply(Saved outcome) {
        if (outcome.text == null) {
            return; // nothing was attempted: no mode given, or not editable
        }
        String text = outcome.text;
        int lastBreak = text.lastIndexOf('\n');
        String last = lastBreak < 0 ? text : text.substring(lastBreak + 1).strip();
        if (last.startsWith("Telemetry:")) {
            statusLine = last;
            lastMessage = lastBreak < 0 ? "" : text.substring(0, lastBreak).strip();
        } else {
            lastMessage = text;
        }
        if (outcome.saved) {
            mode = outcome.chosen;
            waitingLine = "";
        }
    }

    /**
     * What this computer recorded and sent, as {@code telemetry show} and {@code telemetry show --sent} print
     * it: the reports waiting to be sent (exactly as they will be sent), those of local mode (never sent), the
     * open period's counts so far, then the copies of the reports that were sent. Reads a few small files
     * (and, as {@code telemetry show} does, makes the reports of periods that closed), so the panel calls it
     * off the event dispatch thread; safe on any thread, as it only asks the thread-safe {@link Telemetry};
     * never throws.
     */
    public String whatWasRecorded() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            try {
                if (telemetry.show(out, false)) {
                    out.println();
                    telemetry.show(out, true);
                }
            } catch (RuntimeException e) {
                out.println("Could not read what was recorded: " + e);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    /** Everything the app can collect, as {@link Telemetry#whatIsCollected()} words it. */
    public String whatIsCollected() {
        return telemetry.whatIsCollected();
    }
}
