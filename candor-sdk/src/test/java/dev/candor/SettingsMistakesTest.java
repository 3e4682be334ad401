package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.candor.internal.context.LogCapture;
import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings the user got wrong: each is said once in the log, in words that name the setting, and none
 * leaves telemetry doing more than the user asked for.
 */
class SettingsMistakesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path root;

    @RegisterExtension
    final LogCapture log = new LogCapture();
    private final List<LogRecord> records = log.records();

    private List<String> warnings() {
        return records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage)
                .collect(Collectors.toList());
    }

    private Telemetry start(TestEnvironment env, String... args) {
        return Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0").catalogResource(TelemetryTest.CATALOG)
                .environment(env).clock(Clock.fixed(NOW, ZoneOffset.UTC)).args(args).build());
    }

    private static String command(Telemetry t, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), args);
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    @Test
    void aRelativeTelemetryDirTurnsTelemetryOffAndWritesNothingAnywhere() throws Exception {
        String dir = "rel-" + root.getFileName(); // unique: the log says each mistake once per JVM
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1").set("ACME_TELEMETRY_DIR", dir);
        try (Telemetry t = start(env, "--telemetry")) {
            t.counter("command_run", "command", "count", "success", "true", "duration", "<100ms").increment();
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).isEqualTo("Telemetry: disabled (ACME_TELEMETRY_DIR=" + dir + " is not an absolute path)");
            assertThat(command(t, "enable")).startsWith("Nothing was done: ACME_TELEMETRY_DIR=" + dir
                    + " is not an absolute path; set it to an absolute path, or unset it.");
            assertThat(command(t, "disable")).startsWith("Nothing was done");
            assertThat(command(t, "show")).startsWith("Nothing was done");
            assertThat(command(t, "send")).startsWith("Nothing was done");
        }
        assertThat(filesUnder(root)).as("nothing written, neither in the default place nor beside the process").isEmpty();
        assertThat(Path.of(dir)).doesNotExist();
        assertThat(warnings()).containsExactly("Telemetry is off: ACME_TELEMETRY_DIR=" + dir
                + " is not an absolute path; set it to an absolute path, or unset it");
    }

    @Test
    void aTildeInTheTelemetryDirIsNotAnAbsolutePathEither() {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1").set("ACME_TELEMETRY_DIR", "~/acme");
        try (Telemetry t = start(env)) {
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).isEqualTo("Telemetry: disabled (ACME_TELEMETRY_DIR=~/acme is not an absolute path)");
        }
    }

    @Test
    void anEndpointWithAPasswordSendsNothingAnywhereAndIsNeverPrinted() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        collector.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        collector.start();
        try {
            Path dir = root.resolve("acme-telemetry");
            // Yesterday's counts: this run merges them into a report and would send it at once.
            Path counts = Files.createDirectories(dir.resolve("state/counts/2026-11-24"));
            Files.writeString(counts.resolve("4242-0badcafe.on.json"), "{\"v\":1,\"app\":\"acme\",\"catalog_sha256\":\"x\","
                    + "\"period\":\"2026-11-24\",\"mode\":\"on\",\"counts\":{\"command_run\":"
                    + "[{\"cell\":[\"hash\",\"true\",\"<100ms\"],\"n\":3}]}}");
            TestEnvironment env = new TestEnvironment(root)
                    .set("ACME_TELEMETRY", "1")
                    .set("ACME_TELEMETRY_DIR", dir.toString())
                    .set("ACME_TELEMETRY_ENDPOINT", "http://alice:secret@127.0.0.1:" + collector.getAddress().getPort()
                            + "/v1/reports?uid=alice");
            try (Telemetry t = start(env, "--debug-telemetry")) {
                assertThat(t.mode()).isEqualTo(Mode.ON);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (filesUnder(dir.resolve("state/outbox")).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300); // room for an upload that must not happen
                assertThat(command(t, "send")).isEqualTo("Nothing is sent: ACME_TELEMETRY_ENDPOINT must not hold a user"
                        + " name or password; fix or unset it.\n");
            }
            assertThat(requests.get()).as("nothing sent to the variable's address").isZero();
            assertThat(filesUnder(dir.resolve("state/outbox"))).as("the report waits for a usable endpoint").hasSize(1);
            assertThat(filesUnder(dir.resolve("state/sent"))).isEmpty();
            assertThat(env.errorText()).as("debug output").contains("ACME_TELEMETRY_ENDPOINT must not hold a user name or password")
                    .doesNotContain("secret", "alice");
            assertThat(warnings()).containsExactly("Telemetry sends nothing in this run: ACME_TELEMETRY_ENDPOINT must not"
                    + " hold a user name or password (the reports wait on this machine); fix or unset it");
        } finally {
            collector.stop(0);
        }
    }

    /**
     * A query string in the endpoint would reach the collector with every report, and could carry what identifies
     * the user ({@code ?uid=alice}); a fragment is no part of an address. Either one: nothing is sent, anywhere.
     */
    @Test
    void anEndpointWithAQueryStringOrAFragmentSendsNothingAnywhere() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        collector.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        collector.start();
        try {
            String address = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/reports";
            String query = "must not hold a query string (\"?...\"): it would go to the collector with every report,"
                    + " and a collector needs none";
            String fragment = "must not hold a fragment (\"#...\"): an endpoint is an address only";
            String[][] cases = {{address + "?uid=alice", query}, {address + "?", query}, {address + "#alice", fragment}};
            for (String[] c : cases) {
                Path dir = Files.createTempDirectory(root, "acme-telemetry");
                Path counts = Files.createDirectories(dir.resolve("state/counts/2026-11-24"));
                Files.writeString(counts.resolve("4242-0badcafe.on.json"), "{\"v\":1,\"app\":\"acme\",\"catalog_sha256\":\"x\","
                        + "\"period\":\"2026-11-24\",\"mode\":\"on\",\"counts\":{\"command_run\":"
                        + "[{\"cell\":[\"hash\",\"true\",\"<100ms\"],\"n\":3}]}}");
                TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1")
                        .set("ACME_TELEMETRY_DIR", dir.toString()).set("ACME_TELEMETRY_ENDPOINT", c[0]);
                try (Telemetry t = start(env)) {
                    assertThat(command(t, "send")).as(c[0])
                            .isEqualTo("Nothing is sent: ACME_TELEMETRY_ENDPOINT " + c[1] + "; fix or unset it.\n");
                }
                assertThat(filesUnder(dir.resolve("state/outbox"))).as("the report waits for a usable endpoint").hasSize(1);
            }
            assertThat(requests.get()).as("nothing sent to the variable's address").isZero();
            assertThat(warnings()).as("each said once").containsExactly(
                    "Telemetry sends nothing in this run: ACME_TELEMETRY_ENDPOINT " + query
                            + " (the reports wait on this machine); fix or unset it",
                    "Telemetry sends nothing in this run: ACME_TELEMETRY_ENDPOINT " + fragment
                            + " (the reports wait on this machine); fix or unset it");
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void aMisspelledKeyInTheSettingsFileIsWarnedAboutOnceWithTheKeyItResembles() throws Exception {
        TestEnvironment env = new TestEnvironment(root);
        Path appFile = root.resolve("home/.config/acme/telemetry.properties");
        Files.createDirectories(appFile.getParent());
        Files.writeString(appFile, "telemtry=false\n");
        try (Telemetry t = start(env)) {
            command(t, "show"); // reads the settings again
        }
        assertThat(warnings()).containsExactly(appFile + ": the key \"telemtry\" is not one Candor reads;"
                + " did you mean \"telemetry\"?");
    }

    @Test
    void aKeySetTwiceToDifferentValuesIsOffWhenEitherLineIsOff() throws Exception {
        TestEnvironment env = new TestEnvironment(root);
        Path appFile = root.resolve("home/.config/acme/telemetry.properties");
        Files.createDirectories(appFile.getParent());
        Files.writeString(appFile, "telemetry=false\ntelemetry=true\n");
        try (Telemetry t = start(env)) {
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).isEqualTo("Telemetry: disabled in " + appFile);
        }
        assertThat(warnings()).containsExactly(appFile + ": \"telemetry\" is set 2 times with different values;"
                + " the most private one counts: telemetry=false. Keep one line.");
    }
}
