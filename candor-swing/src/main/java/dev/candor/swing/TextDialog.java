package dev.candor.swing;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Window;
import java.awt.event.KeyEvent;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * The panel's two readings in a read-only, selectable dialog with a Close button (Escape closes it too):
 * "What is collected?", the app's catalog as text ({@code Telemetry.whatIsCollected()}), and "What was
 * recorded and sent?", the reports on this computer as {@code telemetry show} and {@code show --sent} print
 * them. Modeless, so it never blocks the settings it was opened from.
 */
final class TextDialog {
    static final String CATALOG_TITLE = "What is collected?";
    static final String RECORDED_TITLE = "What was recorded and sent?";

    private TextDialog() {
    }

    /** The catalog dialog ({@code catalogDialog}) over {@code owner} (may be null), shown. Needs a display. */
    static JDialog open(Window owner, String text) {
        return open(owner, "catalogDialog", CATALOG_TITLE, text);
    }

    /** Builds, shows and returns a dialog named {@code name} over {@code owner} (may be null). Needs a display. */
    static JDialog open(Window owner, String name, String title, String text) {
        JDialog dialog = new JDialog(owner, title, java.awt.Dialog.ModalityType.MODELESS);
        dialog.setName(name);
        dialog.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        JTextArea area = new JTextArea(text, 24, 90);
        area.setName("catalogText");
        area.setEditable(false);
        area.setLineWrap(true);
        area.setWrapStyleWord(true);
        area.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        area.setCaretPosition(0);
        area.setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
        JButton close = new JButton("Close");
        close.addActionListener(e -> dialog.dispose());
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(close);
        dialog.getContentPane().add(new JScrollPane(area), BorderLayout.CENTER);
        dialog.getContentPane().add(buttons, BorderLayout.SOUTH);
        dialog.getRootPane().setDefaultButton(close);
        dialog.getRootPane().registerKeyboardAction(e -> dialog.dispose(),
                KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
        dialog.pack();
        dialog.setLocationRelativeTo(owner);
        dialog.setVisible(true);
        return dialog;
    }
}
