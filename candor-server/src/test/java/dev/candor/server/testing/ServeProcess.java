package dev.candor.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar candor.jar serve} as a separate process, exactly as an operator runs it, on a
 * free loopback port, with its stdout and stderr captured in files (the collector's whole log).
 */
public final class ServeProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target", "candor.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int port;

    private ServeProcess(Process process, Path stdout, Path stderr, int port) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
    }

    /**
     * Starts the collector with the acme catalog and waits until it listens.
     *
     * @param logs folder for the captured output ({@code serve-N.out}, {@code serve-N.err})
     */
    public static ServeProcess start(Path data, Path logs, String... extraArgs) {
        try {
            Files.createDirectories(logs);
            int n = 1;
            while (Files.exists(logs.resolve("serve-" + n + ".out"))) {
                n++;
            }
            Path out = logs.resolve("serve-" + n + ".out");
            Path err = logs.resolve("serve-" + n + ".err");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "serve",
                    "--host", "127.0.0.1", "--port", "0", "--data", data.toString(),
                    "--catalog", AcmeReports.CATALOG.toString(), "--admin-token", TestCollector.ADMIN_TOKEN));
            command.addAll(List.of(extraArgs));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8));
                if (m.find()) {
                    return new ServeProcess(process, out, err, Integer.parseInt(m.group(1)));
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("candor serve exited with " + process.exitValue() + ":\n"
                            + Files.readString(out) + Files.readString(err));
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("candor serve did not start within 60 s:\n" + Files.readString(out)
                    + Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The collector's process id. */
    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: the process dies at once, mid-request and mid-commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("candor serve did not exit within " + within + " of SIGTERM");
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.readString(stdout) + Files.readString(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
