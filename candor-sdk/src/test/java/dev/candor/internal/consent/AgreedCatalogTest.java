package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.context.TestEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The earlier copy against what can go wrong around it: another run's answer between this run's reading and
 * writing, a yes that cannot forget the copy, and another process holding the lock. acme's catalog {@code V2}
 * and the one without {@code input_size} ({@code OLDER}: only removals) are the two versions.
 */
class AgreedCatalogTest {
    static final String V2 = "dev/candor/acme-catalog.json";
    static final String OLDER = "dev/candor/acme-catalog-without-input-size.json";

    @TempDir
    Path root;

    private TelemetryPaths paths() {
        return TelemetryPaths.of("acme", new TestEnvironment(root));
    }

    /** A yes to V2, then a run of the older version: the record is OLDER, the earlier copy V2. */
    private void agreeToV2ThenRunTheOlderVersion() throws Exception {
        AgreedCatalog.save(paths(), catalog(V2), bytes(V2));
        AgreedCatalog older = AgreedCatalog.read(paths(), catalog(OLDER), line -> { });
        assertThat(older.recordWithoutAsking(paths(), catalog(OLDER), bytes(OLDER))).isTrue();
        assertThat(earlier()).hasBinaryContent(bytes(V2));
    }

    @Test
    void anAnswerGivenByAnotherRunMeanwhileWinsOverWhatThisRunRead() throws Exception {
        agreeToV2ThenRunTheOlderVersion();
        AgreedCatalog v2 = AgreedCatalog.read(paths(), catalog(V2), line -> { });
        assertThat(v2.waitingCount()).as("the earlier copy covers it").isZero();

        AgreedCatalog.save(paths(), catalog(OLDER), bytes(OLDER)); // another process: telemetry enable, older version
        assertThat(v2.recordWithoutAsking(paths(), catalog(V2), bytes(V2))).isFalse();
        assertThat(AgreedCatalog.file(paths())).hasBinaryContent(bytes(OLDER));
        assertThat(AgreedCatalog.read(paths(), catalog(V2), line -> { }).waitingCount()).isEqualTo(1);
    }

    @Test
    void aRecordChangedMeanwhileIsNotReplacedEither() throws Exception {
        AgreedCatalog.save(paths(), catalog(V2), bytes(V2));
        AgreedCatalog older = AgreedCatalog.read(paths(), catalog(OLDER), line -> { });
        Files.write(AgreedCatalog.file(paths()), withASpaceMore(V2)); // rewritten by another run
        assertThat(older.recordWithoutAsking(paths(), catalog(OLDER), bytes(OLDER))).isFalse();
        assertThat(earlier()).doesNotExist();
    }

    @Test
    void aYesThatCannotForgetTheEarlierCopyRecordsNothing() throws Exception {
        agreeToV2ThenRunTheOlderVersion();
        Files.delete(earlier());
        Files.createDirectories(earlier().resolve("not-empty")); // cannot be deleted as a file
        assertThatThrownBy(() -> AgreedCatalog.save(paths(), catalog(V2), bytes(V2)))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot remove");
        assertThat(AgreedCatalog.file(paths())).as("unchanged").hasBinaryContent(bytes(OLDER));
        assertThatThrownBy(() -> AgreedCatalog.saveDeclined(paths(), catalog(V2))).isInstanceOf(IOException.class);
        assertThat(paths().stateDirectory().resolve(AgreedCatalog.DECLINED_FILE)).doesNotExist();
    }

    @Test
    void aNoAndDisablingForgetTheEarlierCopy() throws Exception {
        agreeToV2ThenRunTheOlderVersion();
        AgreedCatalog.saveDeclined(paths(), catalog(V2));
        assertThat(earlier()).doesNotExist();

        agreeToV2ThenRunTheOlderVersion();
        AgreedCatalog.forgetEarlier(paths());
        assertThat(earlier()).doesNotExist();
        assertThat(AgreedCatalog.read(paths(), catalog(V2), line -> { }).waitingCount()).isEqualTo(1);
    }

    @Test
    void aNoForgetsTheEarlierCopyEvenWhileAnotherProcessHoldsTheLock() throws Exception {
        agreeToV2ThenRunTheOlderVersion();
        Process holder = holdLock(paths().stateDirectory().resolve(AgreedCatalog.LOCK_FILE));
        try {
            assertThatThrownBy(() -> AgreedCatalog.saveDeclined(paths(), catalog(V2))).isInstanceOf(IOException.class);
            assertThat(earlier()).doesNotExist();
            assertThat(paths().stateDirectory().resolve(AgreedCatalog.DECLINED_FILE))
                    .as("the marker waits for the lock").doesNotExist();
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(AgreedCatalog.read(paths(), catalog(V2), line -> { }).waitingCount()).isEqualTo(1);
    }

    @Test
    void aChangeWaitsForAnotherProcessHoldingTheLockThenGivesUp() throws Exception {
        AgreedCatalog.save(paths(), catalog(OLDER), bytes(OLDER));
        Path lock = paths().stateDirectory().resolve(AgreedCatalog.LOCK_FILE);
        Process holder = holdLock(lock);
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> AgreedCatalog.save(paths(), catalog(V2), bytes(V2)))
                    .isInstanceOf(IOException.class).hasMessageContaining("another process has held " + lock);
            assertThat(System.nanoTime() - start).as("waited for it")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(AgreedCatalog.LOCK_WAIT_MILLIS));
            assertThat(AgreedCatalog.file(paths())).hasBinaryContent(bytes(OLDER));
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        AgreedCatalog.save(paths(), catalog(V2), bytes(V2));
        assertThat(AgreedCatalog.file(paths())).as("once it is free").hasBinaryContent(bytes(V2));
    }

    @Test
    void aRunThatWouldRecordWithoutAskingWritesNothingWhileAnotherProcessHoldsTheLock() throws Exception {
        AgreedCatalog.save(paths(), catalog(V2), bytes(V2));
        AgreedCatalog older = AgreedCatalog.read(paths(), catalog(OLDER), line -> { });
        Process holder = holdLock(paths().stateDirectory().resolve(AgreedCatalog.LOCK_FILE));
        try {
            assertThatThrownBy(() -> older.recordWithoutAsking(paths(), catalog(OLDER), bytes(OLDER)))
                    .isInstanceOf(IOException.class).hasMessageContaining("another process has held");
            assertThat(AgreedCatalog.file(paths())).as("unchanged").hasBinaryContent(bytes(V2));
            assertThat(earlier()).as("no copy of a record that was not replaced").doesNotExist();
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(older.recordWithoutAsking(paths(), catalog(OLDER), bytes(OLDER))).as("once it is free").isTrue();
        assertThat(earlier()).hasBinaryContent(bytes(V2));
    }

    /**
     * Two apps (or two copies of the SDK in them) on one machine: each app's lock is in its own state folder (the
     * app's name is in its path), so one app holding its lock never holds another up, and neither record is touched
     * by the other's change. Only runs of the same app (any version) share a lock, which is what it is for.
     */
    @Test
    void anotherAppsLockNeitherBlocksNorTouchesThisAppsRecord() throws Exception {
        byte[] zetaBytes = new String(bytes(V2), StandardCharsets.UTF_8).replace("\"app\": \"acme\"", "\"app\": \"zeta\"")
                .getBytes(StandardCharsets.UTF_8);
        Catalog zeta = CatalogParser.parse(zetaBytes, "zeta's catalog");
        TelemetryPaths zetaPaths = TelemetryPaths.of("zeta", new TestEnvironment(root));
        assertThat(zetaPaths.stateDirectory().resolve(AgreedCatalog.LOCK_FILE))
                .isNotEqualTo(paths().stateDirectory().resolve(AgreedCatalog.LOCK_FILE));
        AgreedCatalog.save(paths(), catalog(OLDER), bytes(OLDER));
        Process holder = holdLock(paths().stateDirectory().resolve(AgreedCatalog.LOCK_FILE));
        try {
            // were the lock shared, each would wait 250 ms for the holder and then throw
            AgreedCatalog.save(zetaPaths, zeta, zetaBytes);
            AgreedCatalog.saveDeclined(zetaPaths, zeta);
            assertThatThrownBy(() -> AgreedCatalog.save(paths(), catalog(V2), bytes(V2))).as("acme's own lock is held")
                    .isInstanceOf(IOException.class);
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(AgreedCatalog.file(zetaPaths)).hasBinaryContent(zetaBytes);
        assertThat(AgreedCatalog.file(paths())).hasBinaryContent(bytes(OLDER));
        assertThat(AgreedCatalog.read(zetaPaths, zeta, line -> { }).current()).isTrue();
        assertThat(AgreedCatalog.read(paths(), catalog(OLDER), line -> { }).current()).isTrue();
    }

    /** Another JVM that locks {@code file} and holds the lock until it is killed; returns once it holds it. */
    private static Process holdLock(Path file) throws IOException {
        Path source = Files.createTempDirectory("hold-lock").resolve("HoldLock.java");
        Files.writeString(source, "import java.nio.channels.FileChannel;\n"
                + "import java.nio.file.*;\n"
                + "public class HoldLock {\n"
                + "    public static void main(String[] a) throws Exception {\n"
                + "        FileChannel c = FileChannel.open(Paths.get(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);\n"
                + "        c.lock();\n"
                + "        System.out.println(\"locked\");\n"
                + "        Thread.sleep(60_000);\n"
                + "    }\n"
                + "}\n");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, source.toString(), file.toString()).redirectErrorStream(true).start();
        InputStream out = p.getInputStream();
        String line = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the lock holder started").isEqualTo("locked");
        return p;
    }

    private Path earlier() {
        return paths().stateDirectory().resolve(AgreedCatalog.EARLIER_FILE);
    }

    private static Catalog catalog(String resource) throws IOException, CatalogException {
        return CatalogParser.parse(bytes(resource), resource);
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = AgreedCatalogTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    /** {@code resource}'s bytes with a space more at the end: the same catalog, another file. */
    private static byte[] withASpaceMore(String resource) throws IOException {
        byte[] b = bytes(resource);
        byte[] more = java.util.Arrays.copyOf(b, b.length + 1);
        more[b.length] = ' ';
        return more;
    }
}
