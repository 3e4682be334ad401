package dev.candor.swing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
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
            assertThat(status.getText()).isEqualTo(ENABLED);

            onEdt(localOnly::doClick);
            assertThat(Files.readString(APP_FILE)).contains("telemetry=local");
            assertThat(status.getText()).isEqualTo(LOCAL);
            assertThat(panel[0].choice().mode()).isEqualTo(Mode.LOCAL);

            onEdt(send::doClick);
            assertThat(Files.readString(APP_FILE)).contains("telemetry=false");
            assertThat(status.getText()).isEqualTo("Telemetry: disabled in " + APP_FILE);
            assertThat(localOnly.isSelected()).isFalse();
            assertThat(localOnly.isEnabled()).as("local is a kind of on").isFalse();
            assertThat(find(panel[0], JLabel.class, "message").getText()).contains("saved telemetry=false");

            onEdt(send::doClick);
            assertThat(Files.readString(APP_FILE)).contains("telemetry=true");
            assertThat(status.getText()).isEqualTo(ENABLED);
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
            assertThat(find(panel[0], JLabel.class, "status").getText()).isEqualTo("Telemetry: disabled in " + system);
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
}
