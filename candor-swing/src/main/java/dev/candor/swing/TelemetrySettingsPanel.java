package dev.candor.swing;

import dev.candor.Mode;
import dev.candor.Telemetry;
import java.awt.Color;
import java.awt.Component;
import java.awt.Cursor;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;

/**
 * The telemetry part of a desktop app's settings, in one line of the app's code:
 * {@code preferences.add(new TelemetrySettingsPanel(telemetry))}. A checkbox "Send anonymous usage
 * statistics" (on), under it "Keep them on this computer only" (local: recorded, never sent), both clear
 * for off; the status line; a "What is collected?" link that opens the catalog as a readable dialog; and
 * a "What was recorded and sent?" link that opens the reports on this computer, byte for byte, as
 * {@code app telemetry show} and {@code show --sent} print them (read off the event dispatch thread).
 * Each click saves the choice at once, exactly as {@code app telemetry enable|local|disable} would.
 * Create and use it on the event dispatch thread, as any Swing component.
 *
 * <p>The save is file work (and, for off, deleting what was recorded), so it runs on a background thread
 * ({@link SwingWorker}), never on the event dispatch thread: the window keeps painting and answering
 * while the disk is slow. Until the save is done both boxes are disabled, so choices are saved one at a
 * time and in order; the box that had the keyboard focus gets it back when the save is done, so Space
 * after Space keeps changing the choice. When the save fails, the boxes go back to the choice that is still in force and the
 * message line says what failed, in the error colour.
 *
 * <p>The panel never resizes the window it sits in (that is the app's): the status, waiting and message lines
 * wrap at a width of about 60 characters, so a long path or a list of files that could not be deleted makes
 * the panel taller, not wider than the screen.
 */
public final class TelemetrySettingsPanel extends JPanel {
    private static final long serialVersionUID = 1L;
    private static final Color ERROR_COLOUR = new Color(0xb0, 0x1a, 0x1a);

    private final transient ConsentChoice choice;
    private final JCheckBox send = new JCheckBox("Send anonymous usage statistics to help improve this app");
    private final JCheckBox localOnly = new JCheckBox("Keep them on this computer only (never send)");
    private final JLabel status = new JLabel();
    private final JLabel waiting = new JLabel();
    private final JLabel message = new JLabel();
    private final JButton what = new JButton(TextDialog.CATALOG_TITLE);
    private final JButton recorded = new JButton(TextDialog.RECORDED_TITLE);
    private final Color messageColour;
    /** Where the status, waiting and message lines wrap, in screen pixels: about 60 characters of the label font. */
    private final int wrapWidth;
    /** The save in flight or the last one, completed on the event dispatch thread once the panel shows its outcome. */
    private transient CompletableFuture<Boolean> lastSave = CompletableFuture.completedFuture(false);
    private boolean saving;

    /** A panel bound to {@code telemetry}'s consent. */
    public TelemetrySettingsPanel(Telemetry telemetry) {
        this(new ConsentChoice(telemetry));
    }

    TelemetrySettingsPanel(ConsentChoice choice) {
        super(new GridBagLayout());
        this.choice = choice;
        setName("telemetrySettings");
        setBorder(BorderFactory.createTitledBorder("Usage statistics"));
        send.setName("send");
        localOnly.setName("localOnly");
        status.setName("status");
        waiting.setName("waiting");
        message.setName("message");
        what.setName("whatIsCollected");
        localOnly.setBorder(BorderFactory.createEmptyBorder(0, 24, 0, 0));
        message.setFont(message.getFont().deriveFont(Font.PLAIN));
        messageColour = message.getForeground();
        wrapWidth = Math.max(send.getPreferredSize().width, status.getFontMetrics(status.getFont()).charWidth('n') * 60);
        recorded.setName("whatWasRecorded");
        link(what, "Every event and value this app can count, and nothing else");
        link(recorded, "The reports on this computer, exactly as they will be sent or were sent");

        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.anchor = GridBagConstraints.WEST;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.weightx = 1;
        c.insets = new Insets(2, 4, 2, 4);
        add(send, c);
        add(localOnly, c);
        c.insets = new Insets(8, 8, 2, 4);
        add(status, c);
        c.insets = new Insets(2, 8, 2, 4);
        add(waiting, c);
        add(message, c);
        c.fill = GridBagConstraints.NONE;
        add(what, c);
        add(recorded, c);

        send.addActionListener(e -> chooseFromBoxes());
        localOnly.addActionListener(e -> chooseFromBoxes());
        what.addActionListener(e -> TextDialog.open(SwingUtilities.getWindowAncestor(this), choice.whatIsCollected()));
        recorded.addActionListener(e -> openWhatWasRecorded());
        showChoice();
    }

    private static void link(JButton button, String tip) {
        button.setBorderPainted(false);
        button.setContentAreaFilled(false);
        button.setForeground(new Color(0x1a, 0x55, 0xb0));
        button.setCursor(Cursor.getPredefinedCursor(Cursor.HAND_CURSOR));
        button.setMargin(new Insets(0, 0, 0, 0));
        button.setToolTipText(tip);
    }

    /** Reads the reports on a background thread (file work), then opens them in a dialog on this thread. */
    private void openWhatWasRecorded() {
        recorded.setEnabled(false); // one reading at a time
        new SwingWorker<String, Void>() {
            @Override
            protected String doInBackground() {
                return choice.whatWasRecorded();
            }

            @Override
            protected void done() {
                String text;
                try {
                    text = get();
                } catch (ExecutionException | InterruptedException | RuntimeException e) {
                    text = "Could not read what was recorded: " + (e instanceof ExecutionException ? e.getCause() : e);
                }
                recorded.setEnabled(true);
                TextDialog.open(SwingUtilities.getWindowAncestor(TelemetrySettingsPanel.this), "recordedDialog",
                        TextDialog.RECORDED_TITLE, text);
            }
        }.execute();
    }

    /** The mode the checkboxes say: clear is off; checked is on, or local when "this computer only" is checked too. */
    Mode boxesMode() {
        if (!send.isSelected()) {
            return Mode.OFF;
        }
        return localOnly.isSelected() ? Mode.LOCAL : Mode.ON;
    }

    private void chooseFromBoxes() {
        if (saving) {
            return; // the boxes are disabled while a save runs; a click that slipped through changes nothing
        }
        Mode wanted = boxesMode();
        // Disabling the box that has the keyboard focus moves the focus on (to "What is collected?"), where the
        // next Space opened a dialog instead of changing the choice; it comes back once the save is shown.
        Component focused = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
        JCheckBox refocus = focused == send || focused == localOnly ? (JCheckBox) focused : null;
        saving = true;
        send.setEnabled(false);
        localOnly.setEnabled(false);
        CompletableFuture<Boolean> shown = new CompletableFuture<>();
        lastSave = shown;
        new SwingWorker<ConsentChoice.Saved, Void>() {
            @Override
            protected ConsentChoice.Saved doInBackground() {
                return choice.save(wanted);
            }

            @Override
            protected void done() {
                ConsentChoice.Saved outcome;
                try {
                    outcome = get();
                } catch (ExecutionException | InterruptedException | RuntimeException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    outcome = new ConsentChoice.Saved(wanted, false, "Could not save the telemetry choice: " + cause);
                }
                choice.apply(outcome);
                saving = false;
                showChoice();
                Component now = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
                if (refocus != null && (now == null || SwingUtilities.isDescendingFrom(now, TelemetrySettingsPanel.this))) {
                    (refocus.isEnabled() ? refocus : send).requestFocusInWindow(); // local is off with send clear
                }
                message.setForeground(outcome.saved() ? messageColour : ERROR_COLOUR);
                shown.complete(outcome.saved());
            }
        }.execute();
    }

    /**
     * The save started by the last click (or a completed {@code false} before any): it completes on the
     * event dispatch thread, with whether the choice was saved, once the panel shows the outcome.
     */
    CompletableFuture<Boolean> lastSave() {
        return lastSave;
    }

    private void showChoice() {
        Mode mode = choice.mode();
        boolean editable = choice.editable();
        send.setSelected(mode != Mode.OFF);
        localOnly.setSelected(mode == Mode.LOCAL);
        send.setEnabled(editable);
        localOnly.setEnabled(editable && mode != Mode.OFF);
        show(status, choice.statusLine());
        String w = choice.waitingLine();
        show(waiting, w);
        waiting.setVisible(!w.isEmpty());
        show(message, choice.lastMessage());
        // Lay out again inside the window as the app sized it; packing it (as before) resized the app's whole
        // settings window after each click, to 4,000 pixels wide for a long message.
        revalidate();
        repaint();
    }

    /** Shows {@code text} in {@code label} as HTML that wraps at {@link #wrapWidth}; screen readers get the plain words. */
    private void show(JLabel label, String text) {
        String html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>");
        // Swing's HTML takes a CSS pixel for a point, 4/3 of a screen pixel: 3/4 of the width in CSS pixels
        label.setText(text.isEmpty() ? " " : "<html><body style='width: " + wrapWidth * 3 / 4 + "px'>" + html + "</body></html>");
        label.getAccessibleContext().setAccessibleName(text);
    }

    /** The plain words {@code label} shows (its accessible name), for tests. */
    static String shown(JLabel label) {
        return label.getAccessibleContext().getAccessibleName();
    }

    /** What the panel shows now, for tests and accessibility checks. */
    ConsentChoice choice() {
        return choice;
    }
}
