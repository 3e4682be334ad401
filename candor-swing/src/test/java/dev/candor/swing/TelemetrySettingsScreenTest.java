package dev.candor.swing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The panel on a real screen (Xvfb in CI, where {@code .ci/run} sets {@code CANDOR_REQUIRE_DISPLAY=1}
 * so that a missing display fails instead of skipping): a frame with the panel, then "What is
 * collected?" clicked, each captured with {@link Robot} into {@code $CANDOR_SCREENSHOTS} as a build
 * artifact and checked to hold more than a blank window.
 */
class TelemetrySettingsScreenTest {

    @Test
    void thePanelAndTheCatalogDialogOnScreen() throws Exception {
        boolean required = "1".equals(System.getenv("CANDOR_REQUIRE_DISPLAY"));
        if (GraphicsEnvironment.isHeadless()) {
            assertThat(required).as("CANDOR_REQUIRE_DISPLAY=1 but there is no display (run under xvfb-run)").isFalse();
            Assumptions.abort("no display; run under xvfb-run to see the panel on screen");
        }
        Path shots = Paths.get(System.getenv().getOrDefault("CANDOR_SCREENSHOTS", "target/screenshots"));
        Files.createDirectories(shots);
        try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().args("--no-telemetry").build())) {
            Shown shown = show(telemetry, f -> {
                f.pack();
                f.setLocation(20, 20);
            });
            JFrame[] frame = {shown.frame()};
            TelemetrySettingsPanel[] panel = {shown.panel()};
            Robot robot = new Robot();
            try {
                BufferedImage settings = capture(robot, frame[0]);
                ImageIO.write(settings, "png", shots.resolve("telemetry-settings.png").toFile());
                assertThat(colours(settings)).as("the panel is drawn, not blank").isGreaterThan(3);

                SwingUtilities.invokeAndWait(() ->
                        TelemetrySettingsPanelTest.find(panel[0], JButton.class, "whatIsCollected").doClick());
                JDialog dialog = waitForDialog(robot, "catalogDialog");
                JTextArea text = (JTextArea) ((JScrollPane) dialog.getContentPane().getComponent(0)).getViewport().getView();
                assertThat(dialog.getTitle()).isEqualTo("What is collected?");
                assertThat(text.getText()).isEqualTo(telemetry.whatIsCollected()).contains("command_run: A command finished.");
                assertThat(text.isEditable()).isFalse();
                BufferedImage catalog = capture(robot, dialog);
                ImageIO.write(catalog, "png", shots.resolve("telemetry-what-is-collected.png").toFile());
                assertThat(colours(catalog)).isGreaterThan(3);
                SwingUtilities.invokeAndWait(dialog::dispose);

                SwingUtilities.invokeAndWait(() ->
                        TelemetrySettingsPanelTest.find(panel[0], JButton.class, "whatWasRecorded").doClick());
                JDialog recorded = waitForDialog(robot, "recordedDialog");
                JTextArea reports = (JTextArea) ((JScrollPane) recorded.getContentPane().getComponent(0)).getViewport().getView();
                assertThat(recorded.getTitle()).isEqualTo("What was recorded and sent?");
                assertThat(reports.getText()).isEqualTo(panel[0].choice().whatWasRecorded()).contains("No report waits to be sent.");
                ImageIO.write(capture(robot, recorded), "png", shots.resolve("telemetry-what-was-recorded.png").toFile());
                SwingUtilities.invokeAndWait(recorded::dispose);
            } finally {
                SwingUtilities.invokeAndWait(frame[0]::dispose);
            }
        }
    }

    /** The app sized its settings window; a click in the panel lays out inside it and never resizes it. */
    @Test
    void aClickNeverResizesTheAppsWindow() throws Exception {
        if (GraphicsEnvironment.isHeadless()) {
            Assumptions.abort("no display; run under xvfb-run");
        }
        try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().args("--no-telemetry").build())) {
            Shown shown = show(telemetry, f -> f.setSize(900, 500));
            JFrame[] frame = {shown.frame()};
            TelemetrySettingsPanel[] panel = {shown.panel()};
            try {
                assertThat(TelemetrySettingsPanelTest.clickAndWait(panel[0],
                        TelemetrySettingsPanelTest.find(panel[0], javax.swing.JCheckBox.class, "send"))).isTrue();
                java.awt.Dimension[] size = new java.awt.Dimension[1];
                SwingUtilities.invokeAndWait(() -> size[0] = frame[0].getSize());
                assertThat(size[0]).isEqualTo(new java.awt.Dimension(900, 500));
            } finally {
                SwingUtilities.invokeAndWait(frame[0]::dispose);
            }
        }
    }

    /**
     * "What is collected?" by keyboard alone: the text has the focus, Tab moves on to Close, and Escape closes
     * the dialog from anywhere in it, as in any dialog (it did nothing).
     */
    @Test
    void theCatalogDialogAnswersTabAndEscape() throws Exception {
        if (GraphicsEnvironment.isHeadless()) {
            Assumptions.abort("no display; run under xvfb-run");
        }
        try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().args("--no-telemetry").build())) {
            JDialog[] dialog = new JDialog[1];
            SwingUtilities.invokeAndWait(() -> dialog[0] = TextDialog.open(null, telemetry.whatIsCollected()));
            Robot robot = new Robot();
            try {
                java.awt.Component[] focused = new java.awt.Component[1];
                for (int i = 0; i < 100 && focused[0] == null; i++) {
                    robot.waitForIdle();
                    robot.delay(50);
                    SwingUtilities.invokeAndWait(() -> focused[0] = dialog[0].getFocusOwner());
                }
                assertThat(focused[0]).isInstanceOf(JTextArea.class);
                type(robot, java.awt.event.KeyEvent.VK_TAB);
                SwingUtilities.invokeAndWait(() -> focused[0] = dialog[0].getFocusOwner());
                assertThat(focused[0]).isInstanceOf(JButton.class);
                assertThat(((JButton) focused[0]).getText()).isEqualTo("Close");
                SwingUtilities.invokeAndWait(() -> dialog[0].getFocusOwner().requestFocusInWindow());
                type(robot, java.awt.event.KeyEvent.VK_ESCAPE);
                boolean[] showing = new boolean[1];
                SwingUtilities.invokeAndWait(() -> showing[0] = dialog[0].isShowing());
                assertThat(showing[0]).as("Escape closed the dialog").isFalse();
            } finally {
                SwingUtilities.invokeAndWait(dialog[0]::dispose);
            }
        }
    }

    /**
     * By keyboard: Space on the focused checkbox saves the choice, and the box keeps the focus, so a second
     * Space changes it back. (The box is disabled while the save runs; the focus used to move on to "What is
     * collected?" and stay there, so the second Space opened the catalog instead.)
     */
    @Test
    void theFocusedBoxKeepsTheKeyboardFocusAcrossASave() throws Exception {
        if (GraphicsEnvironment.isHeadless()) {
            Assumptions.abort("no display; run under xvfb-run");
        }
        try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().args("--no-telemetry").build())) {
            Shown shown = show(telemetry, JFrame::pack);
            JFrame[] frame = {shown.frame()};
            TelemetrySettingsPanel[] panel = {shown.panel()};
            Robot robot = new Robot();
            try {
                javax.swing.JCheckBox send = TelemetrySettingsPanelTest.find(panel[0], javax.swing.JCheckBox.class, "send");
                java.awt.Component[] focused = new java.awt.Component[1];
                for (int i = 0; i < 100 && focused[0] != send; i++) {
                    SwingUtilities.invokeAndWait(send::requestFocusInWindow);
                    robot.waitForIdle();
                    robot.delay(50);
                    SwingUtilities.invokeAndWait(() -> focused[0] = frame[0].getFocusOwner());
                }
                assertThat(focused[0]).isSameAs(send);
                for (boolean expected : new boolean[] {true, false}) {
                    type(robot, java.awt.event.KeyEvent.VK_SPACE);
                    java.util.concurrent.CompletableFuture<?>[] save = new java.util.concurrent.CompletableFuture<?>[1];
                    SwingUtilities.invokeAndWait(() -> save[0] = panel[0].lastSave());
                    assertThat(save[0].get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(true);
                    robot.waitForIdle();
                    robot.delay(100);
                    SwingUtilities.invokeAndWait(() -> focused[0] = frame[0].getFocusOwner());
                    assertThat(send.isSelected()).isEqualTo(expected);
                    assertThat(focused[0]).as("the focus after Space").isSameAs(send);
                }
            } finally {
                SwingUtilities.invokeAndWait(frame[0]::dispose);
            }
        }
    }

    /** A settings window as an app makes it: a frame holding a new panel for {@code telemetry}, sized by {@code size}. */
    private record Shown(JFrame frame, TelemetrySettingsPanel panel) {
    }

    private static Shown show(Telemetry telemetry, java.util.function.Consumer<JFrame> size) throws Exception {
        Shown[] shown = new Shown[1];
        SwingUtilities.invokeAndWait(() -> {
            JFrame frame = new JFrame("Acme settings");
            TelemetrySettingsPanel panel = new TelemetrySettingsPanel(telemetry);
            frame.getContentPane().add(panel);
            size.accept(frame);
            frame.setVisible(true);
            shown[0] = new Shown(frame, panel);
        });
        return shown[0];
    }

    private static void type(Robot robot, int key) {
        robot.keyPress(key);
        robot.keyRelease(key);
        robot.waitForIdle();
        robot.delay(200);
        robot.waitForIdle();
    }

    private static BufferedImage capture(Robot robot, Window window) throws Exception {
        robot.waitForIdle();
        robot.delay(300); // the X server draws after Swing has painted
        robot.waitForIdle();
        Rectangle[] bounds = new Rectangle[1];
        SwingUtilities.invokeAndWait(() -> bounds[0] = new Rectangle(window.getLocationOnScreen(), window.getSize()));
        return robot.createScreenCapture(bounds[0]);
    }

    private static JDialog waitForDialog(Robot robot, String name) throws Exception {
        for (int i = 0; i < 100; i++) {
            robot.waitForIdle();
            JDialog[] found = new JDialog[1];
            SwingUtilities.invokeAndWait(() -> {
                for (Window w : Window.getWindows()) {
                    if (w instanceof JDialog && w.isShowing() && name.equals(w.getName())) {
                        found[0] = (JDialog) w;
                    }
                }
            });
            if (found[0] != null) {
                return found[0];
            }
            robot.delay(50);
        }
        throw new AssertionError("no " + name + " opened within 5 s");
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
