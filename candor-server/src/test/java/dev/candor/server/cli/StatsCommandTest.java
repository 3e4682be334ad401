package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.stats.AcmeFixtures;
import dev.candor.server.stats.JsonFilesStatsSource;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsJson;
import dev.candor.server.stats.StatsRelease;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatsCommandTest {

    @TempDir
    static Path data;

    @BeforeAll
    static void fixtures() throws IOException {
        AcmeFixtures.write(data);
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StatsCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsTheLatestReleaseWithEveryNumberOfIt() {
        Run r = run("acme", "--data", data.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String latest = AcmeFixtures.PERIODS.get(AcmeFixtures.PERIODS.size() - 1);
        StatsRelease release = new JsonFilesStatsSource(data).release("acme", latest, "overall").orElseThrow();
        StatsGroup g = release.overall().orElseThrow();
        assertThat(r.out()).contains("acme · " + latest + " · overall")
                .contains("ε = 0.5 for this breakdown, m = 32")
                .contains("Installs  " + Numbers.count(g.installs()) + "  (95% interval " + Numbers.countInterval(g.installs()) + ")")
                .contains("Installs per period");
        for (StatsItem i : g.items()) {
            if (i.share() != null) {
                String line = r.out().lines().filter(l -> l.startsWith("  " + StatsText.indentedLabel(i) + " "))
                        .findFirst().orElseThrow(() -> new AssertionError("no line for " + i.label() + " in\n" + r.out()));
                assertThat(line).contains(Numbers.percent(i.share()));
                if (!i.share().suppressed()) {
                    assertThat(line).contains(Numbers.percentInterval(i.share())).contains("█");
                }
            }
        }
        assertThat(r.out()).contains("suppressed").doesNotContain("input_size")
                .contains("docs/PRIVACY.md").as("DESIGN.md is not shipped; name a page users have").doesNotContain("DESIGN");
    }

    @Test
    void columnsAreAligned() {
        Run r = run("acme", "--data", data.toString(), "--period", AcmeFixtures.PERIODS.get(2));
        // every row of the item table puts its share's "%" in the same column
        var rows = r.out().lines().filter(l -> l.startsWith("  command_run") || l.startsWith("    command_run")).toList();
        assertThat(rows).hasSizeGreaterThan(5);
        var shareEnds = rows.stream().filter(l -> !l.contains("suppressed"))
                .map(l -> l.indexOf('%')).distinct().toList();
        assertThat(shareEnds).hasSize(1);
    }

    @Test
    void breakdownByOsShowsEveryGroupAndMarksTheRareOne() {
        Run r = run("acme", "--data", data.toString(), "--by", "os", "--period", AcmeFixtures.PERIODS.get(0));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Installs by os").contains("linux").contains("macos").contains("windows");
        String other = r.out().lines().filter(l -> l.startsWith("  other ")).findFirst().orElseThrow();
        assertThat(other).contains("suppressed");
    }

    @Test
    void jsonIsTheStatsApiShape() {
        Run r = run("acme", "--data", data.toString(), "--period", AcmeFixtures.PERIODS.get(1), "--json");
        assertThat(r.exit()).isZero();
        StatsRelease printed = StatsJson.parseRelease(r.out(), "stdout");
        assertThat(printed).isEqualTo(new JsonFilesStatsSource(data).release("acme", AcmeFixtures.PERIODS.get(1), "overall").orElseThrow());
    }

    @Test
    void exactShowsTheOpenPeriodAndSaysItIsNotPublic() {
        Run r = run("acme", "--data", data.toString(), "--exact");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(AcmeFixtures.OPEN_PERIOD).contains("EXACT rollup")
                .contains("total count (noised on the device)").contains("input_size.size = 1KB-1MB");
    }

    @Test
    void missingThingsAreNamed() {
        Run none = run("acme", "--data", data.toString(), "--period", "2020-01-01");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no release of acme for period 2020-01-01; released periods: 2026-11-10");
        Run badBy = run("acme", "--data", data.toString(), "--by", "city");
        assertThat(badBy.exit()).isEqualTo(2);
        assertThat(badBy.err()).contains("unknown breakdown \"city\"; use one of overall, app_version, os");
        Run unknownApp = run("zeta", "--data", data.toString());
        assertThat(unknownApp.exit()).isEqualTo(1);
        assertThat(unknownApp.err()).contains("zeta has no release yet");
        Run noDir = run("acme", "--data", data.resolve("nope").toString());
        assertThat(noDir.exit()).isEqualTo(1);
        assertThat(noDir.err()).contains("no data folder at");
    }

    /** A period that is no date was looked up as one: "no release of acme for period 2026-13-01", exit 1. */
    @Test
    void aPeriodThatIsNoDateIsAUsageError() {
        for (String p : new String[] {"2026-13-01", "26-11-24", "yesterday", "2026-11"}) {
            for (String[] extra : new String[][] {{}, {"--exact"}}) {
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("acme", "--data", data.toString(),
                        "--period", p));
                args.addAll(java.util.List.of(extra));
                Run r = run(args.toArray(String[]::new));
                assertThat(r.exit()).as(r.err()).isEqualTo(2);
                assertThat(r.err()).isEqualTo("candor stats: --period: \"" + p + "\" is not a period; write its first day "
                        + "as YYYY-MM-DD, for example 2026-11-24\n");
            }
        }
    }

    /** An app the collector has no catalog of used to be told "has no release yet", as if it would have one. */
    @Test
    void anAppTheCollectorDoesNotKnowIsNamedWithTheAppsItKnows(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("candor-data");
        try (dev.candor.server.store.SqliteReportStore store = dev.candor.server.store.SqliteReportStore.open(folder)) {
            dev.candor.server.ingest.CatalogRegistry.load(store).install(
                    java.nio.file.Files.readAllBytes(dev.candor.server.testing.AcmeReports.CATALOG), "catalog.json");
        }
        Run unknown = run("zeta", "--data", folder.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("candor stats: no app \"zeta\" in this collector; its apps: acme\n");
        Run exact = run("zeta", "--data", folder.toString(), "--exact");
        assertThat(exact.exit()).isEqualTo(2);
        assertThat(exact.err()).isEqualTo(unknown.err());
        Run known = run("acme", "--data", folder.toString());
        assertThat(known.exit()).isEqualTo(1);
        assertThat(known.err()).startsWith("candor stats: acme has no release yet.");

        Path bare = dir.resolve("bare");
        dev.candor.server.store.SqliteReportStore.open(bare).close();
        Run none = run("acme", "--data", bare.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("candor stats: no app \"acme\" in this collector; no app has a catalog in it yet\n");
    }

    /**
     * Without APP, stats lists the collector's apps with their released periods, from a running collector (its
     * admin endpoint GET /v1/apps, over real HTTP) as from its data folder, the same lines both ways; through the
     * URL it needs the admin token, and says so. Given the token, an unknown app through the URL is named with the
     * apps the collector has, as through the folder.
     */
    @Test
    void withoutAnAppItListsTheCollectorsAppsThroughTheUrlAsThroughTheFolder(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("candor-data");
        try (dev.candor.server.testing.TestCollector collector = dev.candor.server.testing.TestCollector.start(folder)) {
            String yesterday = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
            var report = dev.candor.server.testing.AcmeReports.valid();
            report.put("period", yesterday);
            assertThat(collector.postJson("/v1/reports", dev.candor.server.testing.AcmeReports.bytes(report)).statusCode())
                    .isEqualTo(202);
            var rollups = new dev.candor.server.rollup.RollupStore(collector.store().dataSource());
            new dev.candor.server.rollup.RollupJob(collector.store(), rollups, java.time.Clock.systemUTC()).rollUp();
            new dev.candor.server.release.ReleaseJob(rollups, new dev.candor.server.release.ReleaseLedger(
                    collector.store().dataSource()), dev.candor.server.release.ReleasePolicy.defaults(), java.time.Clock.systemUTC())
                    .release("acme", dev.candor.server.rollup.CurrentCatalogs.load(collector.store()).get("acme"), yesterday);
            byte[] zeta = new String(dev.candor.server.testing.AcmeReports.catalogBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"app\": \"acme\"", "\"app\": \"zeta\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(collector.put("/v1/apps/zeta/catalog", zeta, "Authorization", "Bearer "
                    + dev.candor.server.testing.TestCollector.ADMIN_TOKEN, "Content-Type", "application/json").statusCode())
                    .isEqualTo(201);
            String url = collector.uri("/").toString();

            Run throughUrl = run("--url", url, "--admin-token", dev.candor.server.testing.TestCollector.ADMIN_TOKEN);
            assertThat(throughUrl.exit()).as(throughUrl.err()).isZero();
            assertThat(throughUrl.out()).isEqualTo("acme  1 released period, latest " + yesterday + "\n"
                    + "zeta  no release yet\n");
            Run throughFolder = run("--data", folder.toString());
            assertThat(throughFolder.exit()).as(throughFolder.err()).isZero();
            assertThat(throughFolder.out()).isEqualTo(throughUrl.out());
            Run json = run("--url", url, "--admin-token", dev.candor.server.testing.TestCollector.ADMIN_TOKEN, "--json");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).toString())
                    .isEqualTo("{\"apps\":[{\"app\":\"acme\",\"released_periods\":[\"" + yesterday + "\"]},"
                            + "{\"app\":\"zeta\",\"released_periods\":[]}]}");

            Run noToken = run("--url", url, "--admin-token", "");
            assertThat(noToken.exit()).isEqualTo(2);
            assertThat(noToken.err()).isEqualTo("candor stats: listing a running collector's apps reads its admin endpoint "
                    + "GET /v1/apps, which needs its admin token: give --admin-token TOKEN or set CANDOR_ADMIN_TOKEN (or give APP)\n");
            Run wrongToken = run("--url", url, "--admin-token", "wrong-token");
            assertThat(wrongToken.exit()).isEqualTo(1);
            assertThat(wrongToken.err()).contains("v1/apps refused the admin token (HTTP 401)");
            Run withPeriod = run("--url", url, "--admin-token", dev.candor.server.testing.TestCollector.ADMIN_TOKEN,
                    "--period", yesterday);
            assertThat(withPeriod.exit()).isEqualTo(2);
            assertThat(withPeriod.err()).startsWith("candor stats: --period is about one app's numbers: give APP");

            Run unknown = run("beta", "--url", url, "--admin-token", dev.candor.server.testing.TestCollector.ADMIN_TOKEN);
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).isEqualTo("candor stats: no app \"beta\" in this collector; its apps: acme, zeta\n");
        }
    }

    /**
     * The admin token CANDOR_ADMIN_TOKEN holds (a maintainer's, of their own collector) is not sent to a collector
     * whose public numbers are read: reading an app's releases through --url needs no token, and the URL may be
     * anyone's. Sent only where it is asked for: --exact, listing the apps, or --admin-token on the command line.
     */
    @Test
    void aPublicReadThroughTheUrlDoesNotSendTheTokenFromTheEnvironment() throws Exception {
        java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(exchange.getRequestURI().getPath() + " " + authorization);
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new StatsCommand());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            // as $CANDOR_ADMIN_TOKEN would give it
            cl.setDefaultValueProvider(arg -> arg.isOption() && ((CommandLine.Model.OptionSpec) arg).longestName()
                    .equals("--admin-token") ? "maintainers-own-token" : null);
            int exit = cl.execute("acme", "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThat(exit).as(err.toString()).isEqualTo(1);
            assertThat(err.toString()).contains("acme has no release yet");
            assertThat(authorizations).isNotEmpty().allMatch(a -> a.endsWith(" null"), "sent without a token");
        } finally {
            server.stop(0);
        }
    }

    /** A collector started without an admin token answers its admin endpoints 404: told as that, not as an old version. */
    @Test
    void listingTheAppsOfACollectorWhoseAdminEndpointsAreOffSaysSo(@TempDir Path dir) {
        try (dev.candor.server.testing.TestCollector collector = dev.candor.server.testing.TestCollector.start(
                dir.resolve("candor-data"), 0, null, java.time.Duration.ofSeconds(5))) {
            Run r = run("--url", collector.uri("/").toString(), "--admin-token", "some-token");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("its admin endpoints are off").doesNotContain("older than this candor");
        }
    }

    @Test
    void exactFromARunningCollectorWithoutTheTokenAsksForIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CANDOR_ADMIN_TOKEN") == null);
        Run r = run("acme", "--url", "http://127.0.0.1:9", "--exact");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--exact with --url reads the collector's exact rollups, which need its admin token")
                .doesNotContain("no unreleased period");
        var source = new dev.candor.server.stats.HttpStatsSource(java.net.URI.create("http://127.0.0.1:9"), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.unreleasedPeriods("acme"))
                .hasMessageContaining("need its admin token");
    }

    /**
     * stats only reads: a database an older collector left behind is not migrated by it (it used to be, under a
     * collector that might still run the older schema), and the message says which command migrates it.
     */
    @Test
    void aDatabaseWithAnOlderSchemaIsLeftAsItIsAndTheMessageSaysWhatMigratesIt(@TempDir Path old) throws Exception {
        Path file = old.resolve(dev.candor.server.store.SqliteReportStore.DATABASE_FILE);
        org.sqlite.SQLiteDataSource sqlite = new org.sqlite.SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + file);
        org.flywaydb.core.Flyway.configure().dataSource(sqlite)
                .locations("classpath:db/migration/common", "classpath:db/migration/sqlite").target("10").load().migrate();
        byte[] before = java.nio.file.Files.readAllBytes(file);
        Run r = run("acme", "--data", old.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("candor stats: " + file.toAbsolutePath() + " has an older schema than this candor "
                        + "reads (")
                .contains("pending), and this command only reads, so it does not migrate it; run this version's "
                        + "`candor serve --data " + old + "` (or a command that writes, such as `candor rollup --data " + old
                        + "`) once, then try again");
        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
        try (var list = java.nio.file.Files.list(old)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("candor.db");
        }
        // once migrated by a command that writes, stats reads it
        assertThat(CatalogCommandTest.candor("rollup", "--data", old.toString()).exit()).isZero();
        assertThat(run("acme", "--data", old.toString()).err()).contains("no app \"acme\" in this collector");
    }
}
