package dev.candor.internal.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link UploadProbe} in a separate JVM with this test's class path, and records when the
 * process was seen to end, so that tests can check what a real exit costs.
 */
final class ChildJvm {
    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildJvm start(Path workDir, List<String> jvmOptions, String... probeArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx64m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UploadProbe.class.getName());
        command.addAll(List.of(probeArgs));
        Files.createDirectories(workDir);
        Path output = Files.createTempFile(workDir, "child-", ".out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        return new ChildJvm(process, output);
    }

    /** Waits for the process to end; returns the wall-clock millis at which the wait returned. */
    long awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not exit within " + timeoutSeconds + " s; output:\n" + outputText());
        }
        return System.currentTimeMillis();
    }

    int exitValue() {
        return process.exitValue();
    }

    String outputText() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** The millis the probe printed as {@code main-end <millis>}. */
    long mainEndMillis() {
        for (String line : outputText().split("\n")) {
            if (line.startsWith("main-end ")) {
                return Long.parseLong(line.substring("main-end ".length()).trim());
            }
        }
        throw new AssertionError("the probe printed no main-end line; output:\n" + outputText());
    }
}
