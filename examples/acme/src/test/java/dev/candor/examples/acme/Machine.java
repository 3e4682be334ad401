package dev.candor.examples.acme;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A user's machine for black-box tests: a private HOME (and, when asked, XDG folders) under a temporary
 * folder, an administrator file of its own, an environment with nothing inherited, and no terminal.
 * {@link #acme} runs the real {@code target/acme.jar} as a separate process there.
 */
final class Machine {
    static final Path JAR = Paths.get("target/acme.jar").toAbsolutePath();
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    final Path root;
    final Path home;
    final Path systemFile;
    final Map<String, String> env = new LinkedHashMap<>();
    final List<String> jvmOptions = new ArrayList<>();
    /** Put before the java command, such as {@code faketime '2026-11-20 12:00:00'}. */
    final List<String> prefix = new ArrayList<>();
    /**
     * A folder put on the class path before acme.jar, or null: its {@code META-INF/candor/catalog.json}
     * is the catalog acme then reads (another version of the app's catalog, for instance).
     */
    Path classPathFirst;

    Machine(Path root) {
        this.root = root;
        this.home = root.resolve("home");
        this.systemFile = root.resolve("etc/candor/telemetry.properties");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
    }

    Machine env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Path appFile() {
        return home.resolve(".config/acme/telemetry.properties");
    }

    Path userFile() {
        return home.resolve(".config/candor/telemetry.properties");
    }

    Path stateDir() {
        return home.resolve(".local/state/acme/telemetry");
    }

    Machine write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The java command line that runs acme on this machine. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(JAVA);
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dcandor.systemConfigFile=" + systemFile);
        cmd.addAll(jvmOptions);
        if (classPathFirst == null) {
            cmd.add("-jar");
            cmd.add(JAR.toString());
        } else {
            cmd.add("-cp");
            cmd.add(classPathFirst + File.pathSeparator + JAR);
            cmd.add(Acme.class.getName());
        }
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs acme on another day: {@code faketime} makes the JVM's clock start at {@code dateTime} (UTC). */
    Run acmeAt(String dateTime, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/faketime", dateTime));
        cmd.addAll(command(args));
        Map<String, String> saved = new LinkedHashMap<>(env);
        env.put("TZ", "UTC");
        try {
            return run(cmd, false);
        } finally {
            env.clear();
            env.putAll(saved);
        }
    }

    /** Runs acme with standard input from /dev/null. */
    Run acme(String... args) {
        return run(command(args), false);
    }

    /** Runs acme with standard input an open pipe that nobody ever writes to or closes until acme exits. */
    Run acmeWithSilentInput(String... args) {
        return run(command(args), true);
    }

    Run run(List<String> command, boolean openInput) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        if (!openInput) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            Process p = pb.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("acme " + command + " did not finish within 60 s");
            }
            if (openInput) {
                p.getOutputStream().close();
            }
            return new Run(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream s = in) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Every file and folder under the machine's root, with each file's content (folders map to "/"). */
    Map<String, String> snapshot() {
        Map<String, String> all = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> {
                try {
                    all.put(root.relativize(p).toString(), Files.isDirectory(p) ? "/" : Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** What one run of acme did. */
    static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        /** The last line of standard output: where acme prints the status line. */
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
