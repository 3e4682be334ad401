package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing the admin token, through the real server with its dashboard: each address may send ten wrong
 * tokens, then it is told to wait before any token of its is looked at, the right one included; what it
 * does without a token (reports, public pages) goes on, and other addresses are not held up.
 */
class WrongAdminTokensTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path data;

    private static HttpResponse<String> periods(TestCollector collector, String token, String... more) {
        String[] headers = new String[2 + more.length];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + token;
        System.arraycopy(more, 0, headers, 2, more.length);
        return collector.get("/v1/apps/acme/periods", headers);
    }

    private static HttpResponse<String> signIn(TestCollector collector, String token) {
        return collector.send(HttpRequest.newBuilder(collector.uri(CollectorServer.SIGN_IN_PATH))
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token, StandardCharsets.UTF_8)),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private static void assertToldToWait(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 60L));
        JsonNode problem = MAPPER.readTree(answer.body());
        assertThat(problem.get("type").asText()).endsWith("rate-limited");
        assertThat(problem.get("detail").asText()).startsWith("too many wrong admin tokens from this address");
    }

    @Test
    void tenWrongTokensThenEvenTheRightOneWaitsWhileReportsAndPublicPagesGoOn() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            for (int i = 0; i < CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(periods(collector, "guess-" + i).statusCode()).as("wrong token %d", i).isEqualTo(401);
            }
            assertToldToWait(periods(collector, TestCollector.ADMIN_TOKEN));
            assertToldToWait(signIn(collector, TestCollector.ADMIN_TOKEN));
            assertToldToWait(collector.get("/apps/acme", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN));
            assertToldToWait(collector.get("/metrics", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN));

            assertThat(collector.post("/v1/reports", AcmeReports.bytes(AcmeReports.valid()), "Content-Type", "application/json")
                    .statusCode()).as("reports, which carry no token").isEqualTo(202);
            assertThat(collector.get("/apps/acme").statusCode()).as("the public page").isEqualTo(200);
            assertThat(collector.get("/metrics").statusCode()).as("the public metrics").isEqualTo(200);
        }
    }

    @Test
    void rightTokensNeverCountAndWrongOnesCountWhereverTheyAreSent() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            for (int i = 0; i < 3 * CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(periods(collector, TestCollector.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            }
            // the sign-in form, the dashboard's pages, an admin endpoint and /metrics share one count
            for (int i = 0; i < 3; i++) {
                assertThat(signIn(collector, "form-guess-" + i).statusCode()).isEqualTo(401);
            }
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> page = collector.get("/apps/acme", "Authorization", "Bearer page-guess-" + i);
                assertThat(page.statusCode()).as("a wrong token on a dashboard page is told so").isEqualTo(401);
                assertThat(page.body()).doesNotContain("id=\"exact\"");
            }
            for (int i = 0; i < 2; i++) {
                assertThat(collector.get("/metrics", "Authorization", "Bearer metrics-guess-" + i).statusCode()).isEqualTo(401);
            }
            assertThat(periods(collector, "last-guess").statusCode()).isEqualTo(401);
            assertThat(periods(collector, TestCollector.ADMIN_TOKEN).statusCode())
                    .as("nine wrong so far: the right token still works").isEqualTo(200);
            assertThat(collector.get("/v1/apps/acme/periods", "Authorization", "Basic dXNlcjpwYXNz").statusCode())
                    .as("a credential of another scheme is a wrong token too").isEqualTo(401);
            assertToldToWait(periods(collector, TestCollector.ADMIN_TOKEN));
        }
    }

    @Test
    void behindATrustedProxyEachSenderHasItsOwnCount() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data, ClientAddress.trusting(List.of("127.0.0.1")))) {
            for (int i = 0; i < CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(periods(collector, "guess-" + i, "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(401);
            }
            assertToldToWait(periods(collector, TestCollector.ADMIN_TOKEN, "X-Forwarded-For", "203.0.113.7"));
            assertThat(periods(collector, TestCollector.ADMIN_TOKEN, "X-Forwarded-For", "198.51.100.9").statusCode())
                    .as("another sender behind the same proxy").isEqualTo(200);
        }
    }
}
