package dev.candor.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.consent.TelemetryFlags;
import dev.candor.internal.consent.TelemetryPaths;
import dev.candor.internal.context.ReportContext;
import dev.candor.internal.record.CellTotals;
import dev.candor.internal.record.ReportBuilder;
import dev.candor.server.release.Intervals;
import dev.candor.server.release.NoiseScale;
import dev.candor.server.release.OpenKeyThreshold;
import dev.candor.server.release.ReleaseMechanism;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.Breakdown;
import dev.candor.server.rollup.CatalogItems;
import dev.candor.server.stats.Numbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generated document says only true things: every event, field and value of the catalog, the
 * real retention and noise, and the names, paths and context values the SDK itself uses.
 */
class TelemetryDocsTest {

    static final Path ACME_CATALOG = Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json");

    static Catalog acme() throws IOException, CatalogException {
        return CatalogParser.parse(Files.readAllBytes(ACME_CATALOG), "catalog.json");
    }

    static Catalog catalog(String json) throws CatalogException {
        return CatalogParser.parse(json.getBytes(StandardCharsets.UTF_8), "catalog.json");
    }

    static String md(Catalog c) {
        return new TelemetryDocs(c, ReleasePolicy.defaults()).markdown();
    }

    /** The lines of the Markdown table that follows {@code heading}. */
    static List<String> tableAfter(String md, String heading) {
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String line : md.split("\n")) {
            if (line.equals(heading)) {
                in = true;
            } else if (in && line.startsWith("## ")) {
                break;
            } else if (in && line.startsWith("| ") && !line.startsWith("| ---")) {
                rows.add(line);
            }
        }
        return rows.subList(1, rows.size()); // without the header row
    }

    static final String RICH = """
            {"catalog": 1, "app": "zeta-cli", "title": "Zeta", "owner": "Zeta team", "policy_url": "https://zeta.example/privacy",
             "endpoint": "https://telemetry.zeta.example/v1/reports", "period": "week", "retention_days": 30,
             "max_per_cell": 50,
             "events": {
               "sync": {"description": "A sync finished <fast> | or *slow*.",
                        "review": "https://github.com/zeta/zeta/issues/42",
                        "fields": {"mode": {"type": "enum", "values": ["push", "pull|both"]},
                                   "items": {"type": "count"}}},
               "crash": {"description": "It crashed.", "review": "https://github.com/zeta/zeta/issues/43",
                         "fields": {"type": {"type": "error_type"}}},
               "big_input": {"description": "A large input.", "fields": {"size": {"type": "count"}},
                             "noise": {"epsilon": 2.5}}
             }}""";

    @Test
    void everyEventFieldAndValueOfTheCatalogIsInTheTable() throws Exception {
        for (Catalog c : List.of(acme(), catalog(RICH))) {
            List<String> rows = tableAfter(md(c), "## What is collected");
            int row = 0;
            for (EventSpec e : c.events()) {
                for (int f = 0; f < e.fields().size(); f++, row++) {
                    FieldSpec field = e.fields().get(f);
                    String[] cells = rows.get(row).split("(?<!\\\\)\\|");
                    if (f == 0) {
                        assertThat(cells[1].trim()).isEqualTo("`" + e.name() + "`");
                        assertThat(unescape(cells[2].trim())).isEqualTo(e.description());
                        assertThat(cells[5]).contains(e.noised()
                                ? "ε = " + e.noiseEpsilon().stripTrailingZeros().toPlainString() : "no (exact counts)");
                        assertThat(cells[6]).contains(e.review() == null ? "not recorded" : "(" + e.review() + ")");
                    }
                    assertThat(cells[3].trim()).isEqualTo("`" + field.name() + "`");
                    if (field.type() == FieldType.ERROR_TYPE) {
                        assertThat(cells[4]).contains("`java.*`", "`javax.*`", "`other`",
                                "At most " + FieldType.ERROR_TYPE_LIMIT + " names");
                        for (String pkg : c.packages()) {
                            assertThat(cells[4]).contains("`" + pkg + ".*`");
                        }
                    }
                    for (String value : field.values()) {
                        assertThat(unescape(cells[4])).contains("`" + value + "`");
                    }
                }
            }
            assertThat(row).isEqualTo(rows.size());
        }
    }

    @Test
    void thePromiseStatesTheCatalogsRealNumbers() throws Exception {
        String acme = md(acme());
        assertThat(acme).contains("**Raw reports are deleted after " + acme().retentionDays() + " days.**")
                .contains("each count capped at " + acme().maxPerCell())
                .contains("once a day").contains(acme().sha256());
        String zeta = md(catalog(RICH));
        assertThat(zeta).contains("**Raw reports are deleted after 30 days.**").contains("capped at 50")
                .contains("once a week").contains("`zeta-cli --no-telemetry …`").contains("`ZETA_CLI_TELEMETRY=0`")
                .contains("https://telemetry.zeta.example/apps/zeta-cli")
                .contains("`big_input` (ε = 2.5)");
    }

    @Test
    void namesAndPathsAreTheOnesTheSdkUses() throws Exception {
        Catalog c = acme();
        String md = md(c);
        assertThat(md).contains("`acme " + TelemetryFlags.NO_TELEMETRY + " …`", "`" + TelemetryFlags.TELEMETRY + "`",
                "`acme " + TelemetryFlags.DEBUG + " …`");
        TelemetryPaths linux = TelemetryPaths.of("acme", new MapEnvironment().property("os.name", "Linux")
                .variable("HOME", "/home/u"));
        assertThat(md).contains("`" + linux.modeVariable() + "=0`", "`" + linux.debugVariable() + "=1`",
                "`" + linux.endpointVariable() + "`",
                "`" + linux.appConfigFile().toString().replace("/home/u", "~") + "`",
                "`" + linux.userConfigFile().toString().replace("/home/u", "~") + "`",
                "`" + linux.systemConfigFile() + "`");
        TelemetryPaths xdg = TelemetryPaths.of("acme", new MapEnvironment().property("os.name", "Linux")
                .variable("HOME", "/home/u").variable("XDG_CONFIG_HOME", "/x"));
        assertThat(md).contains("`" + xdg.appConfigFile().toString().replace("/x", "$XDG_CONFIG_HOME") + "`");
        TelemetryPaths mac = TelemetryPaths.of("acme", new MapEnvironment().property("os.name", "Mac OS X")
                .variable("HOME", "/Users/u"));
        assertThat(md).contains("`" + mac.appConfigFile().toString().replace("/Users/u", "~") + "`",
                "`" + mac.userConfigFile().toString().replace("/Users/u", "~") + "`");
        TelemetryPaths moved = TelemetryPaths.of("acme", new MapEnvironment().property("os.name", "Linux")
                .variable("HOME", "/home/u").variable("ACME_TELEMETRY_DIR", "/d"));
        assertThat(moved.appConfigFile()).isEqualTo(Path.of("/d/telemetry.properties"));
        assertThat(md).contains("`telemetry.properties` inside `$ACME_TELEMETRY_DIR`");
    }

    @Test
    void contextValuesAreExactlyTheOnesTheSdkCanSend() throws Exception {
        List<String> rows = tableAfter(md(acme()), "## Sent with every report");
        Set<String> documented = new HashSet<>();
        for (String r : rows) {
            documented.add(r.split("\\|")[1].trim().replace("`", "").replace("\\_", "_"));
        }
        String[][] machines = {{"Linux", "amd64", "17"}, {"Mac OS X", "aarch64", "21"}, {"Windows 11", "x86", "11"},
                {"FreeBSD", "ppc64le", "1.8"}};
        long[] heaps = {512L << 20, 4L << 30, 16L << 30};
        String[] launchers = {null, "maven", "brew", "Weird Value!"};
        for (String[] m : machines) {
            for (long heap : heaps) {
                for (String launcher : launchers) {
                    for (String ci : new String[] {null, "true"}) {
                        MapEnvironment env = new MapEnvironment().property("os.name", m[0]).property("os.arch", m[1])
                                .property("java.specification.version", m[2]);
                        if (ci != null) {
                            env.variable("CI", ci);
                        }
                        Map<String, Object> context = ReportContext.of(env, launcher, heap);
                        assertThat(documented).containsAll(context.keySet());
                        for (Map.Entry<String, Object> e : context.entrySet()) {
                            String row = rows.stream().filter(r -> r.startsWith("| `" + e.getKey().replace("_", "\\_") + "`")
                                    || r.startsWith("| `" + e.getKey() + "`")).findFirst().orElseThrow();
                            String v = String.valueOf(e.getValue());
                            if (e.getKey().equals("install_method") && !v.equals("unknown") && !v.equals("other")) {
                                continue; // a launcher's own word; the row says so
                            }
                            if (e.getKey().equals("install_method")) {
                                assertThat(row).as(e.toString()).contains("`unknown`");
                                continue;
                            }
                            if (e.getKey().equals("runtime")) {
                                assertThat(v).matches("java_[0-9]+");
                                continue;
                            }
                            assertThat(row).as(e.toString()).contains("`" + v + "`");
                        }
                    }
                }
            }
        }
    }

    @Test
    void thePublishingNumbersAreTheCollectorsOwn() throws Exception {
        Catalog c = acme();
        int m = new CatalogItems(c).m();
        double scale = NoiseScale.of(m, ReleaseMechanism.DEFAULT_EPSILON).value();
        String published = md(c).split("## What is published")[1].split("## Announcement")[0];
        assertThat(published).contains("at most m = " + m + " items")
                .contains("scale (1 + m)/ε = " + Numbers.epsilon(scale))
                .contains("ε = " + Numbers.epsilon(ReleaseMechanism.DEFAULT_EPSILON) + " for each breakdown")
                .contains("grace time of " + ReleasePolicy.DEFAULT_GRACE.toDays() + " days")
                .contains("noisy installs are under " + Intervals.MIN_INSTALLS)
                .contains("noisy count under " + Intervals.MIN_COUNT)
                .contains(String.format(java.util.Locale.ROOT, "reaches %,d",
                        OpenKeyThreshold.threshold(scale, OpenKeyThreshold.DELTA, 1 + m)))
                .contains("spend ε = " + Numbers.epsilon(ReleaseMechanism.DEFAULT_EPSILON * Breakdown.values().length))
                .contains("`input_size` (ε = 1)").contains("not part of the public releases");
        for (Breakdown b : Breakdown.values()) {
            if (b != Breakdown.OVERALL) {
                assertThat(published).contains("`" + b.dimension() + "`");
            }
        }
        String custom = new TelemetryDocs(c, new ReleasePolicy(1.0, Map.of("os", 0.25), ReleasePolicy.DEFAULT_GRACE))
                .markdown();
        assertThat(custom).contains("with ε = 1 for each breakdown (other values for some: `os` ε = 0.25)")
                .contains("spend ε = 7.25");
    }

    @Test
    void catalogStringsCannotInjectMarkup() throws Exception {
        Catalog c = catalog(RICH);
        String md = md(c);
        // outside code blocks (where text is literal anyway) nothing can become markup
        String prose = md.replaceAll("(?s)```.*?```", "");
        assertThat(prose).contains("A sync finished \\<fast\\> \\| or \\*slow\\*.").contains("`pull\\|both`")
                .doesNotContain("<fast>");
        String html = new TelemetryDocs(c, ReleasePolicy.defaults()).html();
        assertThat(html).contains("A sync finished &lt;fast&gt; | or *slow*.").doesNotContain("<fast>")
                .doesNotContain("<script").contains("<a href=\"https://github.com/zeta/zeta/issues/42\">");
    }

    @Test
    void theAnnouncementNamesTheRealSwitches() throws Exception {
        String md = md(acme());
        String announcement = md.substring(md.indexOf("```markdown"));
        assertThat(announcement).contains("`acme --no-telemetry`", "`ACME_TELEMETRY=0`", "`DO_NOT_TRACK=1`",
                "`acme telemetry disable`", "`acme --debug-telemetry`", "`acme telemetry show --sent`",
                "deleted after 90 days", "ε = 0.5 per breakdown");
        for (EventSpec e : acme().events()) {
            assertThat(announcement).contains("- ✅ " + e.description());
        }
    }

    /** ConfigFile.apply deletes the unsent data for telemetry disable; nothing else does. */
    @Test
    void onlyTelemetryDisableIsSaidToDeleteWhatWasNotSent() throws Exception {
        String md = md(acme());
        String optOut = md.substring(md.indexOf("## How to turn it off"), md.indexOf("## See every byte"));
        assertThat(optOut).contains("Only `acme telemetry disable` also deletes what was recorded on this machine and"
                + " not yet sent; the others, and `acme telemetry local`, leave it where it is")
                .doesNotContain("Turning telemetry off also deletes");
        assertThat(optOut.split("delete", -1)).as("said once, of the command alone").hasSize(2);
    }

    @Test
    void theExampleReportsNoiseIsWrittenAsTheSdkWritesIt() throws Exception {
        for (Catalog c : List.of(acme(), catalog(RICH))) {
            String sent = ReportBuilder.build(c, c.period() == Catalog.Period.WEEK ? "2026-11-23" : "2026-11-24",
                    new CellTotals(), Map.of(), "2.0", new Random(1)).jsonString();
            for (EventSpec e : c.events()) {
                if (e.noised()) {
                    Matcher m = Pattern.compile("\"" + e.name() + "\":\\{\"mechanism\":\"discrete_laplace\",\"epsilon\":([^}]+)}")
                            .matcher(sent);
                    assertThat(m.find()).as(sent).isTrue();
                    assertThat(md(c)).contains("\"" + e.name() + "\": {\"mechanism\": \"discrete_laplace\", \"epsilon\": "
                            + m.group(1) + "}");
                }
            }
        }
    }

    @Test
    void theCommittedAcmeTelemetryMdIsUpToDate() throws Exception {
        Path committed = Path.of("../examples/acme/TELEMETRY.md");
        assertThat(committed).exists();
        assertThat(Files.readString(committed)).as("examples/acme/TELEMETRY.md is stale; regenerate it with: "
                + "java -jar candor-server/target/candor.jar catalog docs " + ACME_CATALOG.toString().substring(3)
                + " --out examples/acme/TELEMETRY.md").isEqualTo(md(acme()));
    }

    private static String unescape(String md) {
        return md.replaceAll("\\\\(.)", "$1");
    }
}
