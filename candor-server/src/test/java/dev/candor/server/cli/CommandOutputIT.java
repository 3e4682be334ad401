package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.ServeProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands print goes to standard output, where a script keeps it ({@code candor catalog docs
 * FILE > TELEMETRY.md}): when it cannot all be written, the command says so and fails, rather than exit
 * 0 over a truncated file. Run as {@code java -jar candor.jar}, since it is the JVM's own standard
 * output that drops write errors.
 */
class CommandOutputIT {

    @TempDir Path dir;

    record Run(int exit, String err) {
    }

    private Run candorTo(File stdout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", ServeProcess.JAR.toString()));
        command.addAll(List.of(args));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aFullDiskUnderStandardOutputFailsTheCommand() throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists(), "needs /dev/full (Linux)");
        for (String[] args : new String[][] {
            {"catalog", "docs", AcmeReports.CATALOG.toString()},
            {"catalog", "check", AcmeReports.CATALOG.toString()},
            {"--help"},
        }) {
            Run r = candorTo(full, args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args)).endsWith("candor: standard output could not be written "
                    + "(a full disk, or a pipe closed early); what was printed is incomplete\n")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void writableStandardOutputKeepsExitZero() throws Exception {
        Path md = dir.resolve("TELEMETRY.md");
        Run r = candorTo(md.toFile(), "catalog", "docs", AcmeReports.CATALOG.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readString(md)).startsWith("#").contains("acme");
    }
}
