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
                    + "(a full disk?); what was printed is incomplete\n")
                    .doesNotContain("Exception");
        }
    }

    /**
     * A reader that stops early ({@code candor catalog docs FILE | head -3}) is no error to report: the command
     * ends quietly with 141, as the shell's own tools end on SIGPIPE, so {@code set -o pipefail} still sees it.
     * Here the reader is {@code true}, which is gone long before the JVM has started and prints.
     */
    @Test
    void aReaderThatStopsEarlyEndsTheCommandQuietly() throws Exception {
        Path err = dir.resolve("piped.err");
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; \"$0\" -Xmx256m -jar \"$1\" catalog docs \"$2\""
                + " | true; echo \"exit=$?\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), ServeProcess.JAR.toString(),
                AcmeReports.CATALOG.toString())
                .redirectError(err.toFile()).redirectOutput(dir.resolve("piped.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("piped.out"))).isEqualTo("exit=141\n");
        assertThat(Files.readString(err)).isEmpty();
    }

    /**
     * {@code --out} over an existing TELEMETRY.md that fails halfway (here a file size limit, as a full disk
     * would) used to leave the first 4 KiB of the new text in place of the old file. The old file now stays
     * whole; a replaced file keeps its permissions, and a link is written through rather than replaced.
     */
    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileWhole() throws Exception {
        Path md = dir.resolve("TELEMETRY.md");
        String previous = "# the previous TELEMETRY.md\n".repeat(400);
        Files.writeString(md, previous);
        Files.setPosixFilePermissions(md, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Path err = dir.resolve("limited.err");
        Process p = new ProcessBuilder("bash", "-c", "ulimit -f 4 && exec \"$0\" -Xmx256m -jar \"$1\" catalog docs \"$2\" --out \"$3\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), ServeProcess.JAR.toString(),
                AcmeReports.CATALOG.toString(), md.toString())
                .redirectError(err.toFile()).redirectOutput(dir.resolve("limited.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(1);
        assertThat(Files.readString(err)).startsWith("candor catalog docs: cannot write " + md + ": ");
        assertThat(Files.readString(md)).isEqualTo(previous);
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        Path link = Files.createSymbolicLink(dir.resolve("link.md"), md.getFileName());
        Run r = candorTo(dir.resolve("docs.out").toFile(), "catalog", "docs", AcmeReports.CATALOG.toString(), "--out", link.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(md)).startsWith("#").contains("acme").isNotEqualTo(previous);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(md))).isEqualTo("rw-r-----");
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
