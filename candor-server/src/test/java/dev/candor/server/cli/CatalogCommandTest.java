package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.catalog.CatalogParser;
import dev.candor.server.docs.TelemetryDocs;
import dev.candor.server.release.ReleasePolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CatalogCommandTest {

    static final Path ACME = Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json");

    record Run(int exit, String out, String err) {
    }

    static Run candor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CandorCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aValidCatalogPassesWithItsWarningsShown() {
        Run r = candor("catalog", "check", ACME.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid catalog of acme: 3 events");
        assertThat(r.err()).contains("warning: catalog.json: events.command_run: no \"review\"");
    }

    @Test
    void anInvalidCatalogListsEveryProblemInTheSdksWords(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("catalog.json");
        Files.writeString(bad, """
                {"catalog": 1, "app": "Bad App", "title": "x", "owner": "o", "policy_url": "https://x.example",
                 "endpoint": "http://localhost:8080/v1/reports",
                 "events": {"run": {"description": "d", "fields": {"who": {"type": "string"}}}}}""");
        Run r = candor("catalog", "check", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        try {
            CatalogParser.parse(Files.readAllBytes(bad), "catalog.json");
            throw new AssertionError("the SDK accepted it");
        } catch (dev.candor.internal.catalog.CatalogException e) {
            assertThat(e.problems()).hasSizeGreaterThan(1);
            for (String problem : e.problems()) {
                assertThat(r.err()).contains("error: " + problem);
            }
            assertThat(r.err()).contains(e.problems().size() + " problems; the catalog is not valid");
        }
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Run r = candor("catalog", "check", dir.resolve("nope.json").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("nope.json: no such file");
    }

    @Test
    void docsWritesMarkdownOrHtml(@TempDir Path dir) throws Exception {
        var catalog = CatalogParser.parse(Files.readAllBytes(ACME), "catalog.json");
        Run md = candor("catalog", "docs", ACME.toString());
        assertThat(md.exit()).isZero();
        assertThat(md.out()).isEqualTo(new TelemetryDocs(catalog, ReleasePolicy.defaults()).markdown());
        Path html = dir.resolve("site/telemetry.html");
        Run h = candor("catalog", "docs", ACME.toString(), "--format", "html", "--out", html.toString());
        assertThat(h.exit()).as(h.err()).isZero();
        assertThat(Files.readString(html)).startsWith("<!doctype html>")
                .isEqualTo(new TelemetryDocs(catalog, ReleasePolicy.defaults()).html());
        Run eps = candor("catalog", "docs", ACME.toString(), "--epsilon", "1");
        assertThat(eps.out()).isEqualTo(new TelemetryDocs(catalog,
                new ReleasePolicy(1.0, Map.of(), ReleasePolicy.DEFAULT_GRACE)).markdown());
        assertThat(candor("catalog", "docs", ACME.toString(), "--epsilon", "0").exit()).isEqualTo(2);
        assertThat(candor("catalog", "docs", ACME.toString(), "--format", "pdf").exit()).isEqualTo(2);
    }

    /**
     * {@code candor catalog} alone says what is missing and which subcommands there are, then its usage, and exits 2
     * (usage), as {@code candor} alone does; it used to print the usage alone, with no word of what was wrong.
     */
    @Test
    void theGroupAloneSaysASubcommandIsMissingAndListsThem() {
        Run top = candor();
        Run r = candor("catalog");
        assertThat(r.exit()).isEqualTo(2).isEqualTo(top.exit());
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("name a subcommand: check or docs, for example: candor catalog check FILE\n")
                .contains("Usage: candor catalog [-hV] [COMMAND]").containsPattern("\\n\\s+check\\s+Validate a catalog")
                .containsPattern("\\n\\s+docs\\s+Write the app's TELEMETRY.md");
        assertThat(top.err()).startsWith("name a subcommand, for example: candor serve\n");
    }
}
