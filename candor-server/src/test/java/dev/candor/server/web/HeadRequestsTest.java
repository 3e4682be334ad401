package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEAD answers as GET would, without the body (RFC 9110 §9.3.2): the same status, 401 without a valid admin
 * token included, and the same headers that say what the answer is. Javalin on its own answered a HEAD to any
 * GET route 200 without running it, whatever token it carried. Through a real collector with its dashboard.
 */
class HeadRequestsTest {
    static final String YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();

    /** Every GET route of the collector: the admin ones, the dashboard's pages, the public API, and two misses. */
    static final List<String> PATHS = List.of(
            "/v1/apps/acme/periods", "/v1/apps/acme/rollups", "/v1/apps/acme/rollups?period=" + YESTERDAY + "&by=os",
            "/v1/apps", "/metrics",
            "/", "/apps/acme", "/apps/acme?by=os", "/apps/acme/telemetry", "/admin", "/apps/nosuch", "/no/such/page",
            "/healthz", "/v1/apps/acme/catalog", "/v1/apps/acme/stats", "/v1/apps/acme/stats?by=os",
            "/v1/apps/acme/ledger", "/v1/apps/nosuch/periods", "/v1/apps/acme/stats?by=city");

    /** No token, a wrong one, the right one, another scheme's credential (an authenticating proxy's). */
    static final List<String> CREDENTIALS = List.of("", "Bearer wrong-token", "Bearer " + TestCollector.ADMIN_TOKEN,
            "Basic dXNlcjpwYXNz");

    @TempDir Path data;

    @Test
    void everyGetRouteAnswersHeadWithGetsStatusAndNoBody() {
        // each request its own sender behind a trusted proxy, so that wrong tokens do not add up to a wait
        try (TestCollector collector = TestCollector.startWithDashboard(data, ClientAddress.trusting(List.of("127.0.0.1")))) {
            releaseYesterday(collector);
            List<String> checked = new ArrayList<>();
            int sender = 0;
            for (String path : PATHS) {
                for (String credential : CREDENTIALS) {
                    sender++;
                    HttpResponse<String> get = request(collector, "GET", path, credential, sender);
                    HttpResponse<String> head = request(collector, "HEAD", path, credential, sender);
                    String what = "HEAD " + path + (credential.isEmpty() ? "" : " with " + credential.split(" ")[0] + " "
                            + (credential.endsWith(TestCollector.ADMIN_TOKEN) ? "(right)" : "(other)"));
                    assertThat(head.statusCode()).as(what + "; GET answered " + get.body()).isEqualTo(get.statusCode());
                    assertThat(head.body()).as(what).isEmpty();
                    for (String header : List.of("Content-Type", "WWW-Authenticate", "Retry-After")) {
                        assertThat(head.headers().firstValue(header)).as(what + ": " + header)
                                .isEqualTo(get.headers().firstValue(header));
                    }
                    checked.add(get.statusCode() + " " + what);
                }
            }
            // the admin routes were refused and answered, as each credential deserves
            assertThat(checked).contains(
                    "401 HEAD /v1/apps/acme/periods", "401 HEAD /v1/apps/acme/periods with Bearer (other)",
                    "200 HEAD /v1/apps/acme/periods with Bearer (right)",
                    "401 HEAD /v1/apps/acme/rollups", "200 HEAD /v1/apps/acme/rollups with Bearer (right)",
                    "401 HEAD /v1/apps", "401 HEAD /v1/apps with Bearer (other)", "200 HEAD /v1/apps with Bearer (right)",
                    "401 HEAD /metrics with Bearer (other)", "200 HEAD /metrics",
                    "401 HEAD /apps/acme with Bearer (other)", "200 HEAD /apps/acme with Bearer (right)",
                    "404 HEAD /apps/nosuch", "404 HEAD /no/such/page", "200 HEAD /v1/apps/acme/stats?by=os",
                    "400 HEAD /v1/apps/acme/stats?by=city");
        }
    }

    /** Without an admin token configured, the admin routes are off (404) for HEAD as for GET. */
    @Test
    void withAdminOffHeadToAnAdminRouteIsNotFoundToo() {
        try (TestCollector collector = TestCollector.startWithDashboard(data, (String) null)) {
            for (String path : List.of("/v1/apps/acme/periods", "/v1/apps/acme/rollups", "/v1/apps")) {
                for (String credential : List.of("", "Bearer anything")) {
                    HttpResponse<String> get = request(collector, "GET", path, credential, 1);
                    HttpResponse<String> head = request(collector, "HEAD", path, credential, 1);
                    assertThat(get.statusCode()).isEqualTo(404);
                    assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(404);
                }
            }
        }
    }

    private static HttpResponse<String> request(TestCollector collector, String method, String path, String credential,
            int sender) {
        List<String> headers = new ArrayList<>(List.of("X-Forwarded-For", "203.0." + (sender / 250) + "." + (sender % 250 + 1)));
        if (!credential.isEmpty()) {
            headers.addAll(List.of("Authorization", credential));
        }
        return collector.send(HttpRequest.newBuilder(collector.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()),
                headers.toArray(String[]::new));
    }

    /** A period with a rollup and a release, so that the stats and rollups routes have something to answer 200 with. */
    private static void releaseYesterday(TestCollector collector) {
        var report = AcmeReports.valid();
        report.put("period", YESTERDAY);
        assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(report)).statusCode()).isEqualTo(202);
        RollupStore rollups = new RollupStore(collector.store().dataSource());
        new RollupJob(collector.store(), rollups, Clock.systemUTC()).rollUp();
        new ReleaseJob(rollups, new ReleaseLedger(collector.store().dataSource()), ReleasePolicy.defaults(), Clock.systemUTC())
                .release("acme", CurrentCatalogs.load(collector.store()).get("acme"), YESTERDAY);
    }
}
