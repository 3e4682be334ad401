package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user agreed to an older acme's catalog ({@code src/test/resources/catalog-v1}, put on the class path
 * before acme.jar), then runs the acme of today, whose catalog adds the event {@code input_size} and the
 * field {@code command_run.success} and no longer has {@code file_opened}. Before the user's OK nothing
 * new is written, {@code error} (unchanged) keeps counting and old counts of {@code file_opened} never
 * reach a report; a terminal shows only what is new, and after {@code y} the new items are counted. And a user
 * who runs an older acme, whose catalog only lacks {@code input_size}, is not asked about it again back on today's.
 */
class CatalogChangeIT {
    static final Path V1 = Paths.get("target/test-classes/catalog-v1").toAbsolutePath();

    @TempDir
    Path root;

    @BeforeAll
    static void needsScript() {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/script")),
                "util-linux script is needed (Debian: bsdutils; .ci/run installs it)");
    }

    @Test
    void theNewItemsWaitForTheUsersOkAndOnlyTheyAreShown() throws Exception {
        Machine m = new Machine(root);
        Path input = m.root.resolve("notes.txt");
        Files.writeString(input, "one two\nthree\n");

        m.classPathFirst = V1;
        Machine.Run enable = m.acme("telemetry", "enable");
        assertThat(enable.exit).as("%s", enable).isZero();
        Path agreed = m.stateDir().resolve("agreed-catalog.json");
        assertThat(Files.readString(agreed)).isEqualTo(Files.readString(V1.resolve("META-INF/candor/catalog.json")));

        // Counts the old version left for a day that is over: file_opened is gone from today's catalog.
        String twoDaysAgo = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        m.write(m.stateDir().resolve("counts/" + twoDaysAgo + "/4242-cafe.on.json"),
                "{\"v\":1,\"app\":\"acme\",\"catalog_sha256\":\"" + "0".repeat(64) + "\",\"period\":\"" + twoDaysAgo
                        + "\",\"mode\":\"on\",\"counts\":{\"file_opened\":[{\"cell\":[],\"n\":7}],"
                        + "\"error\":[{\"cell\":[\"java.nio.file.NoSuchFileException\"],\"n\":2}]}}");

        m.classPathFirst = null; // today's acme, as shipped
        Machine.Run count = m.acme("count", input.toString());
        Machine.Run failed = m.acme("count", "missing.txt");
        assertThat(count.exit).as("%s", count).isZero();
        assertThat(failed.exit).as("%s", failed).isEqualTo(1);
        assertThat(count.err).as("no terminal: nothing is asked").doesNotContain("What's new", "[Y/n]");
        assertThat(countsOfToday(m)).contains("\"error\"", "java.nio.file.NoSuchFileException")
                .doesNotContain("command_run", "input_size");

        Machine.Run status = m.acme("telemetry", "status");
        assertThat(status.out).isEqualTo(StatusLinesIT.ENABLED + "\n2 new telemetry items wait for your OK and are"
                + " not counted: review with `acme telemetry what --new`, accept with `acme telemetry enable`\n");

        Machine.Run whatNew = m.acme("telemetry", "what", "--new");
        assertThat(whatNew.out).isEqualTo("""
                2 new telemetry items wait for your OK and are not counted: review with `acme telemetry what --new`, \
                accept with `acme telemetry enable`.

                command_run: A command finished.
                  success  true, false  (new field)
                input_size: How large the input files are.  (new event)
                  size  <1KB, 1KB-1MB, 1MB-100MB, >100MB
                  local noise: yes, ε = 1 (every value is sent, with noise)
                No longer collected (stopped with this version): file_opened
                """);

        Machine.Run show = m.acme("telemetry", "show");
        assertThat(show.exit).as("%s", show).isZero();
        String report = onlyReport(m.stateDir().resolve("outbox"));
        assertThat(report).contains("\"error\":[{\"type\":\"java.nio.file.NoSuchFileException\",\"n\":2}]")
                .doesNotContain("file_opened", "command_run", "\"input_size\":[");

        try (PromptPtyIT.TerminalSession s = new PromptPtyIT.TerminalSession(m, "count", input.toString())) {
            s.waitFor("Count the new items too? [Y/n]");
            String notice = s.screen.toString().replace("\r\n", "\n");
            assertThat(notice).contains("What's new in Acme file toolkit's telemetry (acme 2.0.0):",
                    "    success  true, false  (new field)",
                    "  input_size: How large the input files are.  (new event)",
                    "  No longer collected (stopped with this version): file_opened",
                    "  Accept later: acme telemetry enable")
                    .as("only the difference, not the whole notice again")
                    .doesNotContain("Never collected", "DO_NOT_TRACK", "error:", "Continue with telemetry?");
            s.type("y\n");
            assertThat(s.finish()).contains("The new items are counted from now on; saved in " + agreed)
                    .contains("2 3 14 " + input); // acme's own output follows
        }
        assertThat(countsOfToday(m)).contains("\"command_run\":[{\"cell\":[\"count\",\"true\",",
                "\"input_size\":[{\"cell\":[\"<1KB\"],\"n\":1}]");
        assertThat(Files.readString(agreed)).isEqualTo(resource("/META-INF/candor/catalog.json"));
        assertThat(m.acme("telemetry", "status").out).isEqualTo(StatusLinesIT.ENABLED + "\n");
    }

    @Test
    void runningAnOlderVersionAndGoingBackAsksNothing() throws Exception {
        Machine m = new Machine(root);
        Path input = m.root.resolve("notes.txt");
        Files.writeString(input, "one two\nthree\n");
        assertThat(m.acme("telemetry", "enable").exit).isZero();

        m.classPathFirst = Paths.get("target/test-classes/catalog-without-input-size").toAbsolutePath();
        Machine.Run older = m.acme("count", input.toString());
        assertThat(older.exit).as("%s", older).isZero();
        assertThat(m.acme("telemetry", "status").out).isEqualTo(StatusLinesIT.ENABLED + "\n");

        m.classPathFirst = null; // today's acme again, which counts input_size
        try (PromptPtyIT.TerminalSession s = new PromptPtyIT.TerminalSession(m, "count", input.toString())) {
            assertThat(s.finish()).doesNotContain("What's new", "[Y/n]").contains("2 3 14 " + input);
        }
        assertThat(countsOfToday(m)).contains("\"input_size\":[{\"cell\":[\"<1KB\"],\"n\":1}]");
        assertThat(m.acme("telemetry", "status").out).isEqualTo(StatusLinesIT.ENABLED + "\n");
        assertThat(Files.readString(m.stateDir().resolve("agreed-catalog.json")))
                .isEqualTo(resource("/META-INF/candor/catalog.json"));
    }

    @Test
    void answeringNoKeepsTelemetryOnForTheOldItemsAndDoesNotAskAgain() throws Exception {
        Machine m = new Machine(root);
        m.classPathFirst = V1;
        assertThat(m.acme("telemetry", "enable").exit).isZero();
        m.classPathFirst = null;
        try (PromptPtyIT.TerminalSession s = new PromptPtyIT.TerminalSession(m, "--version")) {
            s.waitFor("Count the new items too? [Y/n]");
            assertThat(s.screen.toString()).contains("what you agreed to before is still counted either way"
                    + " (telemetry stays on)");
            s.type("n\n");
            assertThat(s.finish()).contains("The new items are not counted; what you agreed to before still is."
                    + " You will not be asked again for this version").contains(StatusLinesIT.ENABLED);
        }
        try (PromptPtyIT.TerminalSession again = new PromptPtyIT.TerminalSession(m, "--version")) {
            assertThat(again.finish()).doesNotContain("[Y/n]").contains("acme 2.0.0\n" + StatusLinesIT.ENABLED);
        }
        assertThat(m.acme("telemetry", "status").out).contains("2 new telemetry items wait for your OK");
    }

    private static String countsOfToday(Machine m) throws IOException {
        Path dir = m.stateDir().resolve("counts/" + LocalDate.now(ZoneOffset.UTC));
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.collect(Collectors.toList());
            StringBuilder text = new StringBuilder();
            for (Path f : all) {
                text.append(Files.readString(f)).append('\n');
            }
            return text.toString();
        }
    }

    private static String onlyReport(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> reports = files.collect(Collectors.toList());
            assertThat(reports).hasSize(1);
            return Files.readString(reports.get(0));
        }
    }

    private static String resource(String name) throws IOException {
        try (var in = CatalogChangeIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
