package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.context.TestEnvironment;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryPathsTest {
    @TempDir
    Path root;

    @Test
    void linuxFollowsXdgWithHomeDefaults() {
        TestEnvironment env = new TestEnvironment(root);
        Path home = root.resolve("home");
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        assertThat(paths.appConfigFile()).isEqualTo(home.resolve(".config/acme/telemetry.properties"));
        assertThat(paths.userConfigFile()).isEqualTo(home.resolve(".config/candor/telemetry.properties"));
        assertThat(paths.stateDirectory()).isEqualTo(home.resolve(".local/state/acme/telemetry"));
        assertThat(paths.noticeMarker()).isEqualTo(home.resolve(".local/state/acme/telemetry/notice-shown"));

        env.set("XDG_CONFIG_HOME", root.resolve("cfg").toString()).set("XDG_STATE_HOME", root.resolve("st").toString());
        paths = TelemetryPaths.of("acme", env);
        assertThat(paths.appConfigFile()).isEqualTo(root.resolve("cfg/acme/telemetry.properties"));
        assertThat(paths.userConfigFile()).isEqualTo(root.resolve("cfg/candor/telemetry.properties"));
        assertThat(paths.stateDirectory()).isEqualTo(root.resolve("st/acme/telemetry"));
    }

    @Test
    void relativeXdgValuesAreIgnoredAsTheSpecificationSays() {
        TestEnvironment env = new TestEnvironment(root).set("XDG_CONFIG_HOME", "relative/cfg").set("XDG_STATE_HOME", "");
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        assertThat(paths.appConfigFile()).isEqualTo(root.resolve("home/.config/acme/telemetry.properties"));
        assertThat(paths.stateDirectory()).isEqualTo(root.resolve("home/.local/state/acme/telemetry"));
    }

    @Test
    void homeComesFromTheVariableFirstThenUserHome() {
        TestEnvironment env = new TestEnvironment(root);
        env.variables.remove("HOME");
        assertThat(TelemetryPaths.of("acme", env).appConfigFile())
                .isEqualTo(root.resolve("passwd-home/.config/acme/telemetry.properties"));
    }

    @Test
    void macosKeepsEverythingUnderApplicationSupport() {
        TestEnvironment env = new TestEnvironment(root).property("os.name", "Mac OS X");
        Path support = root.resolve("home/Library/Application Support");
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        assertThat(paths.appConfigFile()).isEqualTo(support.resolve("acme/telemetry.properties"));
        assertThat(paths.userConfigFile()).isEqualTo(support.resolve("candor/telemetry.properties"));
        assertThat(paths.stateDirectory()).isEqualTo(support.resolve("acme/telemetry"));
    }

    @Test
    void windowsUsesAppData() {
        // Absolute on the test's own file system, so the test runs everywhere.
        TestEnvironment env = new TestEnvironment(root).property("os.name", "Windows 11")
                .set("APPDATA", root.resolve("Roaming").toString())
                .set("ProgramData", root.resolve("ProgramData").toString());
        env.properties.remove("candor.systemConfigFile");
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        assertThat(paths.appConfigFile()).isEqualTo(root.resolve("Roaming/acme/telemetry.properties"));
        assertThat(paths.userConfigFile()).isEqualTo(root.resolve("Roaming/candor/telemetry.properties"));
        assertThat(paths.stateDirectory()).isEqualTo(root.resolve("Roaming/acme/telemetry"));
        assertThat(paths.systemConfigFile()).isEqualTo(root.resolve("ProgramData/candor/telemetry.properties"));
    }

    @Test
    void theTelemetryDirMovesTheAppFileAndStateButNotTheUserWideFile() {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY_DIR", root.resolve("moved").toString());
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        assertThat(paths.appConfigFile()).isEqualTo(root.resolve("moved/telemetry.properties"));
        assertThat(paths.stateDirectory()).isEqualTo(root.resolve("moved/state"));
        assertThat(paths.userConfigFile()).isEqualTo(root.resolve("home/.config/candor/telemetry.properties"));
    }

    @Test
    void theAdministratorFileIsInEtcUnlessMoved() {
        TestEnvironment env = new TestEnvironment(root);
        env.properties.remove("candor.systemConfigFile");
        assertThat(TelemetryPaths.of("acme", env).systemConfigFile())
                .isEqualTo(Paths.get("/etc/candor/telemetry.properties"));
    }

    @Test
    void variableNamesUseTheAppNameUpperCased() {
        TelemetryPaths paths = TelemetryPaths.of("my-app2", new TestEnvironment(root));
        assertThat(paths.modeVariable()).isEqualTo("MY_APP2_TELEMETRY");
        assertThat(paths.debugVariable()).isEqualTo("MY_APP2_TELEMETRY_DEBUG");
        assertThat(paths.endpointVariable()).isEqualTo("MY_APP2_TELEMETRY_ENDPOINT");
    }
}
