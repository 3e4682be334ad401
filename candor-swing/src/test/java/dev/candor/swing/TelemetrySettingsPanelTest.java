package dev.candor.swing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.awt.Color;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The panel's logic with real components and the real SDK, in a home under target/ (see the surefire
 * configuration); no window is opened, so it runs headless too. Clicks go through {@code doClick} on
 * the event dispatch thread, as a user's would.
 */
class TelemetrySettingsPanelTest {
    static final Path HOME = Paths.get(System.getenv("HOME"));
    static final Path APP_FILE = HOME.resolve("config/acme/telemetry.properties");
    static final String ENABLED = "Telemetry: enabled (run with --no-telemetry to disable)";
    static final String LOCAL = "Telemetry: local only (kept on this machine, never sent; see `acme telemetry show`)";

    @BeforeEach
    void freshHome() throws IOException {
        if (Files.exists(HOME)) {
            try (Stream<Path> walk = Files.walk(HOME)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    static Telemetry start(String... args) {
        return Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0").args(args).build());
    }

    static <T> T find(TelemetrySettingsPanel panel, Class<T> type, String name) {
        for (java.awt.Component c : panel.getComponents()) {
            if (type.isInstance(c) && name.equals(c.getName())) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " named " + name);
    }

    static void onEdt(Runnable r) throws Exception {
        SwingUtilities.invokeAndWait(r);
    }

    /** Clicks {@code box} on the event dispatch thread and waits until the panel shows the saved outcome. */
    static boolean clickAndWait(TelemetrySettingsPanel panel, JCheckBox box) throws Exception {
        CompletableFuture<?>[] save = new CompletableFuture<?>[1];
        onEdt(() -> {
            box.doClick();
            save[0] = panel.lastSave();
        });
        return (Boolean) save[0].get(10, TimeUnit.SECONDS);
    }

    @Test
    void theBoxesFollowTheDecisionAndEachClickSavesIt() throws Exception {
        Files.createDirectories(APP_FILE.getParent());
        Files.writeString(APP_FILE, "telemetry=true\n");
        try (Telemetry telemetry = start()) {
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            JCheckBox send = find(panel[0], JCheckBox.class, "send");
            JCheckBox localOnly = find(panel[0], JCheckBox.class, "localOnly");
            JLabel status = find(panel[0], JLabel.class, "status");
            assertThat(send.isSelected()).isTrue();
            assertThat(localOnly.isSelected()).isFalse();
            assertThat(localOnly.isEnabled()).isTrue();
            assertThat(TelemetrySettingsPanel.shown(status)).isEqualTo(ENABLED);

            assertThat(clickAndWait(panel[0], localOnly)).isTrue();
            assertThat(Files.readString(APP_FILE)).contains("telemetry=local");
            assertThat(TelemetrySettingsPanel.shown(status)).isEqualTo(LOCAL);
            assertThat(panel[0].choice().mode()).isEqualTo(Mode.LOCAL);

            assertThat(clickAndWait(panel[0], send)).isTrue();
            assertThat(Files.readString(APP_FILE)).contains("telemetry=false");
            assertThat(TelemetrySettingsPanel.shown(status)).isEqualTo("Telemetry: disabled in " + APP_FILE);
            assertThat(localOnly.isSelected()).isFalse();
            assertThat(localOnly.isEnabled()).as("local is a kind of on").isFalse();
            assertThat(TelemetrySettingsPanel.shown(find(panel[0], JLabel.class, "message"))).contains("saved telemetry=false");

            assertThat(clickAndWait(panel[0], send)).isTrue();
            assertThat(Files.readString(APP_FILE)).contains("telemetry=true");
            assertThat(TelemetrySettingsPanel.shown(status)).isEqualTo(ENABLED);
        }
    }

    /**
     * A newer catalog than the one the user agreed to: the panel says what waits, as {@code telemetry
     * status} does, and choosing on again agrees to it and clears the line.
     */
    @Test
    void itemsOfANewerCatalogWaitingForTheUsersOkAreShownUntilAChoiceIsSaved() throws Exception {
        Files.createDirectories(APP_FILE.getParent());
        Files.writeString(APP_FILE, "telemetry=true\n");
        Path catalog = Paths.get(TelemetrySettingsPanelTest.class.getResource("/META-INF/candor/catalog.json").toURI());
        String older = Files.readString(catalog).replaceFirst("\"input_size\"", "\"input_size_old\"");
        Path agreed = HOME.resolve("state/acme/telemetry/agreed-catalog.json");
        Files.createDirectories(agreed.getParent());
        Files.writeString(agreed, older);
        try (Telemetry telemetry = start()) {
            assertThat(telemetry.status().newItems()).isEqualTo(1);
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            JLabel waiting = find(panel[0], JLabel.class, "waiting");
            assertThat(waiting.isVisible()).isTrue();
            assertThat(TelemetrySettingsPanel.shown(waiting)).contains(telemetry.status().newItemsLine().substring(0, 20));
            JCheckBox localOnly = find(panel[0], JCheckBox.class, "localOnly");
            assertThat(clickAndWait(panel[0], localOnly)).isTrue();
            assertThat(waiting.isVisible()).isFalse();
            assertThat(Files.readString(agreed)).isEqualTo(Files.readString(catalog));
        }
    }

    @Test
    void aChoiceThatIsStillOverriddenSaysWhatOverridesIt() throws Exception {
        try (Telemetry telemetry = start("--no-telemetry")) {
            ConsentChoice choice = new ConsentChoice(telemetry);
            assertThat(choice.mode()).isEqualTo(Mode.OFF);
            assertThat(choice.editable()).isTrue();
            assertThat(choice.choose(Mode.ON)).isTrue();
            assertThat(Files.readString(APP_FILE)).contains("telemetry=true");
            assertThat(choice.statusLine()).isEqualTo("Telemetry: disabled by --no-telemetry");
            assertThat(choice.mode()).isEqualTo(Mode.ON);
        }
    }

    @Test
    void anAdministratorsOffCannotBeChangedHere() throws Exception {
        Path system = Paths.get(System.getProperty("candor.systemConfigFile"));
        Files.createDirectories(system.getParent());
        Files.writeString(system, "telemetry=false\n");
        try (Telemetry telemetry = start()) {
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            assertThat(find(panel[0], JCheckBox.class, "send").isEnabled()).isFalse();
            assertThat(TelemetrySettingsPanel.shown(find(panel[0], JLabel.class, "status"))).isEqualTo("Telemetry: disabled in " + system);
            assertThat(panel[0].choice().choose(Mode.ON)).isFalse();
            assertThat(APP_FILE).doesNotExist();
        }
    }

    @Test
    void theLinkOffersTheCatalog() throws Exception {
        try (Telemetry telemetry = start("--no-telemetry")) {
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            assertThat(find(panel[0], JButton.class, "whatIsCollected").getText()).isEqualTo("What is collected?");
            assertThat(panel[0].choice().whatIsCollected()).contains("command_run: A command finished.",
                    "size  <1KB, 1KB-1MB, 1MB-100MB, >100MB");
        }
    }

    @Test
    void theFileIsWrittenOffTheEventDispatchThreadWhileTheWindowStaysResponsive() throws Exception {
        try (Telemetry telemetry = start("--no-telemetry")) {
            AtomicReference<Thread> writingThread = new AtomicReference<>();
            AtomicReference<Boolean> onEventDispatchThread = new AtomicReference<>();
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch mayFinish = new CountDownLatch(1);
            ConsentChoice choice = new ConsentChoice(telemetry, (mode, out) -> {
                writingThread.set(Thread.currentThread());
                onEventDispatchThread.set(SwingUtilities.isEventDispatchThread());
                writing.countDown();
                try {
                    mayFinish.await(10, TimeUnit.SECONDS); // a slow disk, held until the test has looked at the panel
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return telemetry.setMode(mode, out);
            });
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(choice));
            JCheckBox send = find(panel[0], JCheckBox.class, "send");
            CompletableFuture<?>[] save = new CompletableFuture<?>[1];
            onEdt(() -> {
                send.doClick();
                save[0] = panel[0].lastSave();
            });
            assertThat(writing.await(10, TimeUnit.SECONDS)).as("the save started").isTrue();
            // The write is blocked right now; the event dispatch thread still runs this, so it is not the writer.
            boolean[] whileWriting = new boolean[2];
            onEdt(() -> {
                whileWriting[0] = send.isEnabled();
                whileWriting[1] = find(panel[0], JCheckBox.class, "localOnly").isEnabled();
            });
            assertThat(whileWriting).as("both boxes wait for the save").containsExactly(false, false);
            assertThat(save[0]).isNotDone();
            mayFinish.countDown();

            assertThat(save[0].get(10, TimeUnit.SECONDS)).isEqualTo(true);
            assertThat(onEventDispatchThread.get()).isFalse();
            assertThat(writingThread.get().getName()).doesNotContain("AWT-EventQueue");
            assertThat(Files.readString(APP_FILE)).contains("telemetry=true");
            assertThat(send.isSelected()).isTrue();
            assertThat(send.isEnabled()).isTrue();
            assertThat(find(panel[0], JCheckBox.class, "localOnly").isEnabled()).isTrue();
            assertThat(panel[0].choice().mode()).isEqualTo(Mode.ON);
        }
    }

    @Test
    void aFailedSaveIsShownAndTheBoxesGoBackToTheChoiceInForce() throws Exception {
        // The app's folder is a file, so its telemetry.properties cannot be written (even by root).
        Files.createDirectories(APP_FILE.getParent().getParent());
        Files.writeString(APP_FILE.getParent(), "not a folder\n");
        try (Telemetry telemetry = start("--no-telemetry")) {
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            JCheckBox send = find(panel[0], JCheckBox.class, "send");
            JLabel message = find(panel[0], JLabel.class, "message");
            Color ordinary = message.getForeground();

            assertThat(clickAndWait(panel[0], send)).isFalse();
            assertThat(send.isSelected()).as("reverted to the choice in force").isFalse();
            assertThat(send.isEnabled()).as("the user may try again").isTrue();
            assertThat(panel[0].choice().mode()).isEqualTo(Mode.OFF);
            assertThat(TelemetrySettingsPanel.shown(message)).contains("Could not save telemetry=true in " + APP_FILE);
            assertThat(message.getForeground()).isNotEqualTo(ordinary);
            assertThat(TelemetrySettingsPanel.shown(find(panel[0], JLabel.class, "status"))).isEqualTo("Telemetry: disabled by --no-telemetry");

            // Once the folder can be made, the same click saves, and the message is ordinary again.
            Files.delete(APP_FILE.getParent());
            assertThat(clickAndWait(panel[0], send)).isTrue();
            assertThat(send.isSelected()).isTrue();
            assertThat(Files.readString(APP_FILE)).contains("telemetry=true");
            assertThat(message.getForeground()).isEqualTo(ordinary);
        }
    }

    /**
     * A settings file that cannot be written (a folder in its place): turning telemetry on says why, with the
     * file's path twice and what to do instead, a message over a thousand pixels long on one line. It wraps at
     * about 60 characters (or after a path too long to break): the panel grows taller (a longer one used to ask
     * for 4,000 pixels, and packed the app's window to that).
     */
    @Test
    void aLongMessageWrapsInsteadOfWideningThePanel() throws Exception {
        Files.createDirectories(APP_FILE.resolve("in-the-way"));
        try (Telemetry telemetry = start()) {
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            JCheckBox send = find(panel[0], JCheckBox.class, "send");
            JLabel message = find(panel[0], JLabel.class, "message");
            int[] before = new int[2];
            onEdt(() -> {
                before[0] = panel[0].getPreferredSize().width;
                before[1] = panel[0].getPreferredSize().height;
            });

            assertThat(clickAndWait(panel[0], send)).as("not saved").isFalse();
            assertThat(TelemetrySettingsPanel.shown(message)).contains("Could not save telemetry=", "Check that the folder");
            int[] after = new int[2];
            onEdt(() -> {
                after[0] = panel[0].getPreferredSize().width;
                after[1] = panel[0].getPreferredSize().height;
            });
            int oneLine = message.getFontMetrics(message.getFont()).stringWidth(TelemetrySettingsPanel.shown(message));
            assertThat(after[0]).as("far narrower than the message on one line").isLessThan(oneLine / 3);
            assertThat(after[1]).as("the message's lines make it taller").isGreaterThan(before[1]);
        }
    }

    /** "What was recorded and sent?": what {@code telemetry show} and {@code show --sent} print, from the panel. */
    @Test
    void theRecordedCountsCanBeReadFromThePanel() throws Exception {
        Files.createDirectories(APP_FILE.getParent());
        Files.writeString(APP_FILE, "telemetry=local\n");
        try (Telemetry telemetry = start()) {
            telemetry.counter("input_size", "size", "<1KB").increment();
        }
        try (Telemetry telemetry = start()) {
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            assertThat(find(panel[0], JButton.class, "whatWasRecorded").getText()).isEqualTo("What was recorded and sent?");
            String recorded = panel[0].choice().whatWasRecorded();
            assertThat(recorded).contains("Counted so far in the open period (never sent", "\"mode\": \"local\"",
                    "\"size\": \"<1KB\"", "No report was sent from this machine");
        }
    }

    /** Reading what was recorded while telemetry is off writes nothing: off means off. */
    @Test
    void readingWhatWasRecordedWhileOffWritesNothing() throws Exception {
        try (Telemetry telemetry = start("--no-telemetry")) {
            String recorded = new ConsentChoice(telemetry).whatWasRecorded();
            assertThat(recorded).contains("No report waits to be sent.", "No report was sent from this machine");
        }
        Files.createDirectories(HOME); // freshHome left none; so that the walk below has a start
        try (Stream<Path> files = Files.walk(HOME)) {
            assertThat(files.filter(p -> !p.equals(HOME))).as("nothing under HOME").isEmpty();
        }
    }

    /**
     * A first run: nobody decided, the notice was shown, and the next run records and sends. The box shows
     * that (checked, with the status line saying it starts next run), so that clearing it is how to say no.
     */
    @Test
    void beforeAnyDecisionTheBoxShowsWhatTheNextRunDoes() throws Exception {
        try (Telemetry telemetry = start()) {
            assertThat(telemetry.statusLine()).isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
            assertThat(telemetry.mode()).as("this run records nothing").isEqualTo(Mode.OFF);
            TelemetrySettingsPanel[] panel = new TelemetrySettingsPanel[1];
            onEdt(() -> panel[0] = new TelemetrySettingsPanel(telemetry));
            JCheckBox send = find(panel[0], JCheckBox.class, "send");
            assertThat(send.isSelected()).isTrue();
            assertThat(find(panel[0], JCheckBox.class, "localOnly").isEnabled()).isTrue();
            assertThat(TelemetrySettingsPanel.shown(find(panel[0], JLabel.class, "status")))
                    .isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");

            assertThat(clickAndWait(panel[0], send)).isTrue();
            assertThat(send.isSelected()).isFalse();
            assertThat(Files.readString(APP_FILE)).contains("telemetry=false");
        }
        try (Telemetry next = start()) {
            assertThat(next.mode()).as("the next run, after clearing the box").isEqualTo(Mode.OFF);
        }
    }
}
