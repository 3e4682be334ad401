package dev.candor.server.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.cli.CandorCommand;
import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.Reports;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsRelease;
import dev.candor.server.stats.StoreStatsSource;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The surfaces over a real collector database: reports stored, rolled up and released by the
 * collector's own jobs, then read by the dashboard and by {@code candor stats --data}. Every number
 * they show must be the frozen release's.
 */
class CollectorDashboardTest {

    static final LocalDate RELEASED = LocalDate.of(2026, 11, 24);
    static final LocalDate OPEN = LocalDate.of(2026, 11, 25);
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T18:00:00Z"), ZoneOffset.UTC);
    static final String TOKEN = "maintainer-token";

    @TempDir
    static Path data;
    static SqliteReportStore store;
    static Javalin server;
    static String base;
    static StoreStatsSource stats;

    @BeforeAll
    static void fill() {
        store = SqliteReportStore.open(data);
        Reports.saveAcmeCatalog(store);
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            reports.add(Reports.on(RELEASED).os(i % 3 == 0 ? "windows" : "linux")
                    .run(i % 4 == 0 ? "hash" : "convert", true, "1s-5s", 2).inputSizes(1, 0, 0, 0).build());
        }
        for (int i = 0; i < 240; i++) {
            reports.add(Reports.on(OPEN).run("count", true, "<100ms", 1).build());
        }
        store.storeAll(reports);
        RollupStore rollups = new RollupStore(store.dataSource());
        ReleaseLedger ledger = new ReleaseLedger(store.dataSource());
        new RollupJob(store, rollups, NOW, new Random(1)).rollUp();
        new ReleaseJob(rollups, ledger, ReleasePolicy.defaults(), NOW, new Random(2))
                .release("acme", CurrentCatalogs.load(store).get("acme"), RELEASED.toString());
        stats = new StoreStatsSource(ledger, rollups);
        server = Javalin.create();
        DashboardRoutes.forCollector(store.dataSource(), CatalogRegistry.load(store), ReleasePolicy.defaults(), TOKEN)
                .addTo(server);
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void close() {
        server.stop();
        store.close();
    }

    static String get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theStoreSourceReadsTheFrozenReleaseAndTheLedger() {
        assertThat(stats.releasedPeriods("acme")).containsExactly(RELEASED.toString());
        assertThat(stats.unreleasedPeriods("acme")).containsExactly(OPEN.toString());
        assertThat(stats.ledger("acme")).hasSize(8).last().satisfies(e -> assertThat(e.cumulativeEpsilon()).isEqualTo(4.0));
        StatsRelease overall = stats.release("acme", RELEASED.toString(), "overall").orElseThrow();
        assertThat(overall.epsilon()).isEqualTo(0.5);
        assertThat(overall.m()).isEqualTo(32);
        assertThat(overall.overall().orElseThrow().installs().value()).isBetween(3000.0 - 400, 3000.0 + 400);
        StatsRelease exact = stats.rollup("acme", OPEN.toString(), "overall").orElseThrow();
        assertThat(exact.exact()).isTrue();
        assertThat(exact.overall().orElseThrow().installs().value()).isEqualTo(240.0);
    }

    @Test
    void theDashboardShowsTheReleasedNumbers() throws Exception {
        String page = get("/apps/acme");
        StatsGroup g = stats.release("acme", RELEASED.toString(), "overall").flatMap(StatsRelease::overall).orElseThrow();
        assertThat(page).contains("data-period=\"" + RELEASED + "\" data-estimate=\"" + Math.round(g.installs().value()) + "\"")
                .contains(Numbers.count(g.installs()) + "</span> installs");
        for (StatsItem i : g.items()) {
            if (i.share() != null && i.field() != null && i.event().equals("command_run")) {
                assertThat(DashboardTest.row(DashboardTest.section(page, "features"), i.label()))
                        .contains(Numbers.percent(i.share()));
            }
        }
        assertThat(page).doesNotContain("id=\"exact\"");
        assertThat(DashboardTest.section(get("/apps/acme", "Authorization", "Bearer " + TOKEN), "exact"))
                .contains(OPEN + ": <span class=\"value\">240</span> installs (exact)");
        assertThat(get("/")).contains("Acme file toolkit").contains(Numbers.count(g.installs()));
    }

    @Test
    void candorStatsReadsTheSameDatabase() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CandorCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("stats", "acme", "--data", data.toString())).as(err.toString()).isZero();
        StatsGroup g = stats.release("acme", RELEASED.toString(), "overall").flatMap(StatsRelease::overall).orElseThrow();
        assertThat(out.toString()).contains("acme · " + RELEASED + " · overall")
                .contains("Installs  " + Numbers.count(g.installs()))
                .contains("acme's ledger: ε = 4 in 8 releases");
    }
}
