package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.Reports;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import dev.candor.server.testing.ServeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder the collector may not write (a read-only mount, a folder of another user), met as an
 * operator meets it: {@code java -jar candor.jar} says the folder is read-only and what to do, rather than
 * the driver's "[SQLITE_CANTOPEN] Unable to open the database file", and never calls the database damaged;
 * and {@code candor stats}, which only reads, reads it. As root, whom permissions do not stop, the folder is a read-only bind mount in a mount namespace of its own
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

    private record Run(int exit, String out, String err) {
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
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Where the read-only folder is seen: a mount point to bind {@code source} to as root, else the source itself. */
    private Path readOnlyView(Path source, boolean root) throws Exception {
        if (root) {
            Process probe = new ProcessBuilder("unshare", "-m", "true").start();
            assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0, "needs unshare -m as root");
            return Files.createDirectories(dir.resolve("mounted"));
        }
        return source;
    }

    @Test
    void aReadOnlyDataFolderIsNamedAsSuch() throws Exception {
        boolean root = root();
        Path source = dir.resolve("data");
        SqliteReportStore.open(source).close();
        Path readOnly = readOnlyView(source, root);
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

    /**
     * {@code candor stats} only reads, so it reads a read-only data folder whose schema is current (a mounted backup,
     * the collector's folder seen by another user): it used to fail, since it opened the store to write and migrate.
     * The collector that made the folder stopped cleanly, so there is no -wal or -shm file, and none can be made.
     */
    @Test
    void statsReadsAReadOnlyDataFolder() throws Exception {
        boolean root = root();
        Path source = dir.resolve("data");
        LocalDate period = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        try (SqliteReportStore store = SqliteReportStore.open(source)) {
            Reports.saveAcmeCatalog(store);
            List<Report> reports = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                reports.add(Reports.on(period).run(i % 2 == 0 ? "convert" : "hash", true, "1s-5s", 1).build());
            }
            store.storeAll(reports);
            RollupStore rollups = new RollupStore(store.dataSource());
            new RollupJob(store, rollups, Clock.systemUTC()).rollUp();
            new ReleaseJob(rollups, new ReleaseLedger(store.dataSource()), ReleasePolicy.defaults(), Clock.systemUTC())
                    .release("acme", CurrentCatalogs.load(store).get("acme"), period.toString());
        }
        Path readOnly = readOnlyView(source, root);
        byte[] before = Files.readAllBytes(source.resolve("candor.db"));
        List<String> files;
        try (var list = Files.list(source)) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactly("candor.db");
        if (!root) {
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Run stats = candorOn(readOnly, source, root, "stats", "acme", "--data", readOnly.toString());
            assertThat(stats.exit()).as(stats.err()).isZero();
            assertThat(stats.out()).contains("acme · " + period + " · overall").contains("Installs");
            Run exact = candorOn(readOnly, source, root, "stats", "acme", "--data", readOnly.toString(), "--exact",
                    "--period", period.toString(), "--by", "os");
            assertThat(exact.exit()).as(exact.err()).isZero();
            assertThat(exact.out()).contains("linux");
        } finally {
            if (!root) {
                Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        assertThat(Files.readAllBytes(source.resolve("candor.db"))).isEqualTo(before);
        try (var list = Files.list(source)) {
            assertThat(list.map(p -> p.getFileName().toString()).sorted()).isEqualTo(files);
        }
    }
}
