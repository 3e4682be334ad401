package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stats, ledger and rollups endpoints, through a real collector and real HTTP. */
class ReleaseRoutesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    static final String ADMIN = "Bearer " + TestCollector.ADMIN_TOKEN;

    @TempDir Path data;
    TestCollector collector;

    @BeforeEach
    void start() {
        collector = TestCollector.start(data);
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    private void sendYesterday(int reports) {
        for (int sent = 0; sent < reports; sent += 100) {
            ObjectNode[] batch = new ObjectNode[Math.min(100, reports - sent)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = AcmeReports.valid(UUID.randomUUID());
                batch[i].put("period", YESTERDAY);
            }
            assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.batch(batch))).statusCode()).isEqualTo(202);
        }
    }

    private void releaseNow() {
        RollupStore rollups = new RollupStore(collector.store().dataSource());
        new RollupJob(collector.store(), rollups, Clock.systemUTC()).rollUp();
        new ReleaseJob(rollups, new ReleaseLedger(collector.store().dataSource()), ReleasePolicy.defaults(), Clock.systemUTC())
                .release("acme", CurrentCatalogs.load(collector.store()).get("acme"), YESTERDAY);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void statsServeTheFrozenReleaseAndTheLedgerListsIt() throws Exception {
        // The installs must be published, not suppressed: with acme's m = 32 and ε = 0.5 the noise scale is
        // 66 and the 95% half width about 198, so the interval (about 396 wide) is "wider than half the
        // value" whenever the noisy installs fall under about 792. From 1,000 installs that happened in about
        // 2 % of runs (noise of -209 or less); from 3,000 it needs noise of -2,209 or less, about 1 in 10^14.
        sendYesterday(3000);
        assertThat(collector.get("/v1/apps/acme/stats?period=" + YESTERDAY).statusCode()).isEqualTo(404);
        releaseNow();

        HttpResponse<String> stats = collector.get("/v1/apps/acme/stats?period=" + YESTERDAY);
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode overall = json(stats);
        assertThat(overall.get("by").asText()).isEqualTo("overall");
        assertThat(overall.get("groups").get(0).get("installs").get("ci95")).hasSize(2);
        // Re-reading gives the same bytes: nothing is noised again.
        assertThat(collector.get("/v1/apps/acme/stats?period=" + YESTERDAY).body()).isEqualTo(stats.body());
        assertThat(collector.get("/v1/apps/acme/stats").body()).isEqualTo(stats.body());
        assertThat(json(collector.get("/v1/apps/acme/stats?period=" + YESTERDAY + "&by=os")).get("by").asText()).isEqualTo("os");

        JsonNode ledger = json(collector.get("/v1/apps/acme/ledger"));
        assertThat(ledger.get("releases")).hasSize(8);
        assertThat(ledger.get("releases").get(0).toString())
                .isEqualTo("{\"app\":\"acme\",\"period\":\"" + YESTERDAY + "\",\"breakdown\":\"overall\",\"epsilon\":0.5,\"cumulative_epsilon\":0.5}");
        assertThat(ledger.get("cumulative_epsilon").asDouble()).isEqualTo(4.0);
    }

    @Test
    void theMaintainerReadsExactRollupsWithTheAdminTokenOnly() throws Exception {
        sendYesterday(100);
        releaseNow();
        assertThat(collector.get("/v1/apps/acme/rollups?period=" + YESTERDAY).statusCode()).isEqualTo(401);
        HttpResponse<String> rollup = collector.get("/v1/apps/acme/rollups?period=" + YESTERDAY, "Authorization", ADMIN);
        assertThat(rollup.statusCode()).isEqualTo(200);
        JsonNode overall = json(rollup).get("groups").get(0);
        assertThat(overall.get("installs").toString()).isEqualTo("{\"estimate\":100}");
    }

    @Test
    void badQueriesGetAPreciseProblem() throws Exception {
        HttpResponse<String> badBy = collector.get("/v1/apps/acme/stats?period=2026-11-24&by=city");
        assertThat(badBy.statusCode()).isEqualTo(400);
        assertThat(badBy.headers().firstValue("Content-Type")).contains("application/problem+json");
        String valid = "use one of overall, app_version, os, arch, runtime, memory_tier, install_method, ci";
        assertThat(json(badBy).get("detail").asText()).isEqualTo("query parameter by: unknown breakdown \"city\"; " + valid);
        // the latest release, and the maintainer's rollups, refuse it too, before they look for anything to show
        assertThat(json(collector.get("/v1/apps/acme/stats?by=city")).get("detail").asText()).endsWith(valid);
        HttpResponse<String> badRollupBy = collector.get("/v1/apps/acme/rollups?by=OS", "Authorization", ADMIN);
        assertThat(badRollupBy.statusCode()).isEqualTo(400);
        assertThat(json(badRollupBy).get("detail").asText()).isEqualTo("query parameter by: unknown breakdown \"OS\"; " + valid);

        HttpResponse<String> badPeriod = collector.get("/v1/apps/acme/stats?period=yesterday");
        assertThat(badPeriod.statusCode()).isEqualTo(400);
        assertThat(json(badPeriod).get("detail").asText()).contains("YYYY-MM-DD");

        HttpResponse<String> unknownApp = collector.get("/v1/apps/nobody/ledger");
        assertThat(unknownApp.statusCode()).isEqualTo(404);
        assertThat(json(unknownApp).get("detail").asText()).contains("no app nobody").contains("acme");

        assertThat(json(collector.get("/v1/apps/acme/stats")).get("detail").asText()).contains("no release of acme yet");
    }
}
