package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off means off: whichever way telemetry is switched off, running every acme command leaves HOME and
 * the XDG folders exactly as they were (the walk compares every file and its content) and says
 * nothing about telemetry on stderr.
 */
class OffMeansOffIT {
    @TempDir
    Path root;

    private void assertNothingWritten(String way, Consumer<Machine> switchOff) throws Exception {
        Path dir = root.resolve(way);
        Machine m = new Machine(dir);
        m.env("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString())
                .env("XDG_STATE_HOME", dir.resolve("xdg-state").toString())
                .env("XDG_DATA_HOME", dir.resolve("xdg-data").toString())
                .env("XDG_CACHE_HOME", dir.resolve("xdg-cache").toString());
        switchOff.accept(m);
        Files.writeString(dir.resolve("in.csv"), "name,size\n\"a, b\",1\n");
        Files.writeString(dir.resolve("out.json"), "");
        Map<String, String> before = m.snapshot();
        for (String[] args : new String[][] {{"--version"}, {"--help"}, {"count", "in.csv"}, {"hash", "in.csv"},
                {"convert", "in.csv", "out.json"}, {"count", "missing.txt"}, {"telemetry", "status"}}) {
            Machine.Run run = m.acme(args);
            assertThat(run.err).as("%s %s", way, run).doesNotContain("Telemetry", "telemetry", "candor");
        }
        Map<String, String> after = m.snapshot();
        after.put("out.json", ""); // the one file the user asked acme to write
        assertThat(after).as(way).isEqualTo(before);
    }

    @Test
    void theFlag() throws Exception {
        Path dir = root.resolve("flag");
        Machine m = new Machine(dir);
        Files.writeString(m.home.resolve("f.txt"), "x");
        Map<String, String> before = m.snapshot();
        m.acme("--no-telemetry", "count", "home/f.txt");
        m.acme("--no-telemetry", "--version");
        assertThat(m.snapshot()).isEqualTo(before);
    }

    @Test
    void theAppVariable() throws Exception {
        assertNothingWritten("variable", m -> m.env("ACME_TELEMETRY", "false"));
    }

    @Test
    void doNotTrack() throws Exception {
        assertNothingWritten("dnt", m -> m.env("DO_NOT_TRACK", "true"));
    }

    @Test
    void theAppFile() throws Exception {
        assertNothingWritten("app-file", m -> m.write(Path.of(m.env.get("XDG_CONFIG_HOME"), "acme/telemetry.properties"),
                "telemetry=false\n"));
    }

    @Test
    void theUserWideFile() throws Exception {
        assertNothingWritten("user-file", m -> m.write(Path.of(m.env.get("XDG_CONFIG_HOME"), "candor/telemetry.properties"),
                "telemetry=false\n"));
    }

    @Test
    void theAdministratorFile() throws Exception {
        assertNothingWritten("admin-file", m -> m.write(m.systemFile, "telemetry=false\n").env("ACME_TELEMETRY", "1"));
    }

    @Test
    void noNetworkCodeIsEvenLoaded() throws Exception {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "0");
        m.jvmOptions.add("-Xlog:class+load=info:file=" + root.resolve("classes.log"));
        Files.writeString(root.resolve("f.txt"), "x");
        assertThat(m.acme("count", "f.txt").exit).isZero();
        String loaded = Files.readString(root.resolve("classes.log"));
        assertThat(loaded).contains("dev.candor.Telemetry ")
                .doesNotContain("java.net.Socket ", "sun.nio.ch.SocketChannelImpl", "java.net.HttpURLConnection",
                        "java.net.http.", "dev.candor.internal.upload.", "dev.candor.internal.record.");
    }

    @Test
    void disablingDeletesWhatWasRecordedAndNotSent() throws Exception {
        Machine m = new Machine(root);
        m.env("ACME_TELEMETRY", "local");
        Path counts = m.stateDir().resolve("counts/2026-11-24/4242.local.json");
        Path outbox = m.stateDir().resolve("outbox/2026-11-23_x.json");
        m.write(counts, "{}").write(outbox, "{}");
        Machine.Run run = m.acme("telemetry", "disable");
        assertThat(run.out).as("%s", run).contains("deleted 2 files recorded here and not yet sent");
        assertThat(counts).doesNotExist();
        assertThat(outbox).doesNotExist();
    }
}
