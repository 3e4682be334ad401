package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.server.store.SqliteReportStore;
import dev.candor.server.testing.ServeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder the collector may not write (a read-only mount, a folder of another user), met as an
 * operator meets it: {@code java -jar candor.jar} says the folder is read-only and what to do, rather than
 * the driver's "[SQLITE_CANTOPEN] Unable to open the database file", and never calls the database damaged.
 * As root, whom permissions do not stop, the folder is a read-only bind mount in a mount namespace of its own
 * ({@code unshare -m}); otherwise it is a folder without write permission.
 */
class ReadOnlyDataIT {

    @TempDir Path dir;

    private static boolean root() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        id.waitFor(10, TimeUnit.SECONDS);
        return uid.equals("0");
    }

    private record Run(int exit, String err) {
    }

    private Run candorOn(Path readOnly, Path source, boolean root, String... args) throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", ServeProcess.JAR.toAbsolutePath().toString()));
        java.addAll(List.of(args));
        List<String> command;
        if (root) {
            command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                    "mount --bind \"$1\" \"$2\" && mount -o remount,bind,ro \"$2\" && shift 2 && exec \"$@\"", "sh",
                    source.toString(), readOnly.toString()));
            command.addAll(java);
        } else {
            command = java;
        }
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aReadOnlyDataFolderIsNamedAsSuch() throws Exception {
        boolean root = root();
        Path source = dir.resolve("data");
        SqliteReportStore.open(source).close();
        Path readOnly;
        if (root) {
            Process probe = new ProcessBuilder("unshare", "-m", "true").start();
            assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0, "needs unshare -m as root");
            readOnly = Files.createDirectories(dir.resolve("mounted"));
        } else {
            readOnly = source;
        }
        byte[] before = Files.readAllBytes(source.resolve("candor.db"));
        if (!root) {
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            for (String[] args : new String[][] {
                {"rollup", "--data", readOnly.toString()},
                {"serve", "--host", "127.0.0.1", "--port", "0", "--data", readOnly.toString()},
            }) {
                Run r = candorOn(readOnly, source, root, args);
                assertThat(r.exit()).as(r.err()).isEqualTo(1);
                assertThat(r.err()).isEqualTo("candor " + args[0] + ": cannot open " + readOnly.resolve("candor.db")
                        + ": the folder " + readOnly + " is read-only for this user, and the collector writes there "
                        + "(candor.db and its -wal and -shm files beside it); give --data a folder it may write, or make "
                        + "this one writable\n");
            }
        } finally {
            if (!root) {
                Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        assertThat(Files.readAllBytes(source.resolve("candor.db"))).isEqualTo(before);
    }
}
