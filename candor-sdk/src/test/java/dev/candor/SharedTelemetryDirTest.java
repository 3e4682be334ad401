package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two apps, acme and beta, given the same telemetry folder ({@code ACME_TELEMETRY_DIR} and {@code
 * BETA_TELEMETRY_DIR} name one folder): they share one settings file, one record of what was agreed, and one state
 * folder. Each must leave the other's counts, reports and sent copies alone, and the app whose agreement the folder
 * does not hold must say that it records nothing, and why.
 */
class SharedTelemetryDirTest {
    static final String ACME = "dev/candor/acme-catalog.json";
    static final String BETA = "dev/candor/beta-catalog.json";

    @TempDir
    Path root;

    private Path shared() {
        return root.resolve("shared");
    }

    private Path state() {
        return shared().resolve("state");
    }

    /** A run of {@code app} with its catalog, telemetry on, nothing sent (the collector's port is closed). */
    private TelemetryOptions.Builder options(String app, String catalog, Clock clock, String... args) {
        String prefix = app.toUpperCase(java.util.Locale.ROOT);
        TestEnvironment env = new TestEnvironment(root).set(prefix + "_TELEMETRY_DIR", shared().toString())
                .set(prefix + "_TELEMETRY", "1").set(prefix + "_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/v1/reports");
        return TelemetryOptions.builder().appVersion("1.0.0").catalogResource(catalog).environment(env).clock(clock)
                .command(app).args(args);
    }

    private String command(String app, String catalog, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(app, catalog, Clock.systemUTC()).forTelemetryCommand().build())) {
            t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), args);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> files(String folder) throws IOException {
        Path dir = state().resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void eachAppLeavesTheOthersCountsReportsAndCopiesAlone() throws IOException {
        Clock twoDaysAgo = Clock.fixed(Instant.now().minusSeconds(2 * 86_400), ZoneOffset.UTC);
        String day = LocalDate.now(twoDaysAgo).toString();
        try (Telemetry acme = Telemetry.start(options("acme", ACME, twoDaysAgo, "count").build())) {
            assertThat(acme.statusLine()).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
            acme.counter("command_run", "command", "count", "success", "true", "duration", "<100ms").add(3);
        }
        String blocked = "Telemetry: enabled (" + state() + " is shared with the app \"acme\"; nothing is recorded"
                + " while it holds that app's agreement)";
        try (Telemetry beta = Telemetry.start(options("beta", BETA, twoDaysAgo).build())) {
            assertThat(beta.statusLine()).as("the folder holds acme's agreement").isEqualTo(blocked);
            assertThat(beta.status().newItemsLine()).contains("give each app a folder of its own",
                    "`beta telemetry enable` would count for beta instead, and acme would count nothing");
            beta.counter("launch", "ui", "gui").increment();
        }
        assertThat(command("beta", BETA, "status")).isEqualTo(blocked + "\n" + state()
                + " is the telemetry folder of beta and of acme (both were given the same folder) and holds what you"
                + " agreed to for acme, so beta counts nothing: give each app a folder of its own; `beta telemetry"
                + " enable` would count for beta instead, and acme would count nothing\n");
        assertThat(files("counts")).as("beta counted nothing").hasSize(1);

        command("beta", BETA, "enable");
        try (Telemetry beta = Telemetry.start(options("beta", BETA, twoDaysAgo).build())) {
            assertThat(beta.statusLine()).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
            beta.counter("launch", "ui", "gui").add(2);
        }
        assertThat(files("counts/" + day)).hasSize(2);

        // Two days on, beta merges the day: its own counts only, and acme's stay for acme.
        String betaShows = command("beta", BETA, "show");
        assertThat(betaShows).contains("1 report waits to be sent").contains("\"app\": \"beta\"").doesNotContain("acme");
        assertThat(files("counts/" + day)).singleElement().asString().contains("\"app\":\"acme\"");
        assertThat(command("acme", ACME, "status")).startsWith("Telemetry: enabled (" + state()
                + " is shared with the app \"beta\"; nothing is recorded while it holds that app's agreement)\n");

        // acme agrees again, and merges the same day, which beta's marker does not close for acme.
        command("acme", ACME, "enable");
        String acmeShows = command("acme", ACME, "show");
        assertThat(acmeShows).contains("1 report waits to be sent").contains("\"app\": \"acme\"")
                .contains("\"n\": 3").doesNotContain("\"app\": \"beta\"");
        assertThat(files("counts")).isEmpty();
        List<String> outbox = files("outbox");
        assertThat(outbox).hasSize(2);
        assertThat(outbox).anySatisfy(r -> assertThat(r).contains("\"app\":\"acme\"", "\"n\":3"));
        assertThat(outbox).anySatisfy(r -> assertThat(r).contains("\"app\":\"beta\"", "{\"ui\":\"gui\",\"n\":2}"));
        assertThat(command("beta", BETA, "show")).as("acme's scan left beta's report")
                .contains("1 report waits to be sent").contains("\"app\": \"beta\"");

        // A copy of what beta sent is beta's: acme neither shows it nor prunes it.
        Path sent = Files.createDirectories(state().resolve("sent"));
        try (Stream<Path> reports = Files.list(state().resolve("outbox"))) {
            for (Path report : reports.collect(Collectors.toList())) {
                if (Files.readString(report).contains("\"app\":\"beta\"")) {
                    Files.copy(report, sent.resolve(report.getFileName()));
                }
            }
        }
        assertThat(command("acme", ACME, "show", "--sent")).startsWith("No report was sent from this machine");
        assertThat(command("beta", BETA, "show", "--sent")).startsWith("1 report sent from this machine");
    }
    @Test
    void anotherAppsFilesTooOldForItToSendAgeOutRatherThanStayForEver() throws IOException {
        // beta ran here long ago and never again: its counts and its unsent report must not outlive every age rule,
        // nor make each acme run find a closed period to merge and an outbox to send
        command("acme", ACME, "enable");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String longAgo = today.minusDays(80).toString();
        Path oldCounts = Files.createDirectories(state().resolve("counts").resolve(longAgo)).resolve("4242.on.json");
        Files.writeString(oldCounts, "{\"app\":\"beta\",\"period\":\"" + longAgo + "\",\"counts\":{}}");
        String monthAgo = today.minusDays(40).toString();
        String id = "0b3e6c7a-1d2f-4a5b-8c9d-0e1f2a3b4c5d";
        Path oldReport = Files.createDirectories(state().resolve("outbox")).resolve(monthAgo + "_" + id + ".json");
        Files.writeString(oldReport, "{\"v\":1,\"app\":\"beta\",\"period\":\"" + monthAgo + "\",\"report_id\":\""
                + id + "\",\"counts\":{}}");
        String recent = today.minusDays(2).toString();
        String recentId = "1b3e6c7a-1d2f-4a5b-8c9d-0e1f2a3b4c5d";
        Path recentReport = state().resolve("outbox").resolve(recent + "_" + recentId + ".json");
        Files.writeString(recentReport, "{\"v\":1,\"app\":\"beta\",\"period\":\"" + recent
                + "\",\"report_id\":\"" + recentId + "\",\"counts\":{}}");

        command("acme", ACME, "show");

        assertThat(oldCounts).as("too old for beta to report too").doesNotExist();
        assertThat(oldCounts.getParent()).doesNotExist();
        assertThat(oldReport).as("too old for beta to send too").doesNotExist();
        assertThat(recentReport).as("beta may still send it").exists();
    }
    @Test
    void showListsOnlyThisAppsLocalReports() throws IOException {
        command("acme", ACME, "local");
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
        String id = "2b3e6c7a-1d2f-4a5b-8c9d-0e1f2a3b4c5d";
        Files.writeString(Files.createDirectories(state().resolve("local")).resolve(day + "_" + id + ".json"),
                "{\"v\":1,\"app\":\"beta\",\"period\":\"" + day + "\",\"report_id\":\"" + id + "\",\"counts\":{}}");
        assertThat(command("acme", ACME, "show")).as("beta's report, not acme's").doesNotContain("beta")
                .doesNotContain("--- local:");
    }
}
