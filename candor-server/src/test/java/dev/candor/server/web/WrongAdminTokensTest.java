package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return signIn(collector, CollectorServer.SIGN_IN_PATH, token);
    }

    private static HttpResponse<String> signIn(TestCollector collector, String path, String token) {
        return collector.send(HttpRequest.newBuilder(collector.uri(path))
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

    /**
     * A browser's sign-in form told to wait gets the sign-in page (429, Retry-After) saying how long, with the
     * same Content-Security-Policy as the page it was sent from.
     */
    private static void assertToldToWaitOnThePage(TestCollector collector, HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(429);
        long seconds = answer.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow();
        assertThat(seconds).isBetween(1L, 60L);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        HttpResponse<String> form = collector.get(CollectorServer.SIGN_IN_PATH);
        assertThat(answer.headers().firstValue("Content-Security-Policy")).isPresent()
                .isEqualTo(form.headers().firstValue("Content-Security-Policy"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.body()).contains("<form method=\"post\" action=\"" + CollectorServer.SIGN_IN_PATH + "\">")
                .contains("Too many wrong admin tokens were sent from this address")
                .containsPattern("Wait " + seconds + " seconds?, then sign in again.");
        assertThat(answer.body().replaceFirst("(?s)<p class=\"notice\">.*?</p>\n", ""))
                .as("the page is the sign-in form's, but for the notice").isEqualTo(form.body());
    }

    @Test
    void aBrowsersSignInFormIsToldToWaitOnThePageWhileAnApiRequestGetsAProblem() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            for (int i = 0; i < CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(signIn(collector, "guess-" + i).statusCode()).isEqualTo(401);
            }
            assertToldToWaitOnThePage(collector, signIn(collector, TestCollector.ADMIN_TOKEN));
            assertToldToWait(periods(collector, TestCollector.ADMIN_TOKEN));
            assertToldToWait(collector.send(HttpRequest.newBuilder(collector.uri(CollectorServer.SIGN_IN_PATH))
                    .POST(HttpRequest.BodyPublishers.ofString("token=x")), "Content-Type",
                    "application/x-www-form-urlencoded", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN));
        }
    }

    @Test
    void tenWrongTokensThenEvenTheRightOneWaitsWhileReportsAndPublicPagesGoOn() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            for (int i = 0; i < CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(periods(collector, "guess-" + i).statusCode()).as("wrong token %d", i).isEqualTo(401);
            }
            assertToldToWait(periods(collector, TestCollector.ADMIN_TOKEN));
            assertToldToWaitOnThePage(collector, signIn(collector, TestCollector.ADMIN_TOKEN));
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
            for (int i = 0; i < 3; i++) {
                assertThat(collector.get("/v1/apps/acme/periods", "Authorization", "Basic dXNlcjpwYXNz").statusCode())
                        .as("a credential of another scheme is refused, but is no guess at the token").isEqualTo(401);
            }
            assertThat(periods(collector, TestCollector.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(signIn(collector, "tenth-guess").statusCode()).isEqualTo(401);
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

    /**
     * The guard runs once a route matched: a sender told to wait is counted in the metrics under the route it
     * asked for (not as "unmatched"), while a path that does not exist is still a 404. A HEAD request is held as
     * its GET is: it runs the same token check (HeadRequestsTest), so its 401 would tell a right guess otherwise.
     */
    @Test
    void answersToWaitAreCountedUnderTheirRouteAndUnknownPathsAreNotHeld() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data, ClientAddress.trusting(List.of("127.0.0.1")))) {
            String guesser = "203.0.113.7";
            for (int i = 0; i < CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(periods(collector, "guess-" + i, "X-Forwarded-For", guesser).statusCode()).isEqualTo(401);
            }
            assertToldToWait(periods(collector, TestCollector.ADMIN_TOKEN, "X-Forwarded-For", guesser));
            assertToldToWait(periods(collector, "another-guess", "X-Forwarded-For", guesser));
            assertThat(collector.send(HttpRequest.newBuilder(collector.uri(CollectorServer.SIGN_IN_PATH))
                    .POST(HttpRequest.BodyPublishers.ofString("token=x")), "Content-Type",
                    "application/x-www-form-urlencoded", "X-Forwarded-For", guesser).statusCode()).isEqualTo(429);
            assertToldToWait(collector.get("/apps/acme", "Authorization", "Bearer x", "X-Forwarded-For", guesser));

            HttpResponse<String> nowhere = collector.get("/no/such/path", "Authorization", "Bearer x", "X-Forwarded-For", guesser);
            assertThat(nowhere.statusCode()).as("a path that does not exist").isEqualTo(404);
            HttpResponse<String> head = collector.send(HttpRequest.newBuilder(collector.uri("/v1/apps/acme/periods"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()), "Authorization", "Bearer x",
                    "X-Forwarded-For", guesser);
            assertThat(head.statusCode()).as("HEAD, which checks the token as GET does").isEqualTo(429);
            assertThat(head.headers().firstValue("Retry-After")).isPresent();

            // the operator scrapes from another address, which has its own count
            String metrics = collector.get("/metrics", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN).body();
            assertThat(metrics)
                    .contains("candor_http_requests_seconds_count{method=\"GET\",route=\"/v1/apps/{app}/periods\",status=\"429\"} 2")
                    .contains("candor_http_requests_seconds_count{method=\"HEAD\",route=\"/v1/apps/{app}/periods\",status=\"429\"} 1")
                    .contains("candor_http_requests_seconds_count{method=\"POST\",route=\"" + CollectorServer.SIGN_IN_PATH
                            + "\",status=\"429\"} 1")
                    .contains("candor_http_requests_seconds_count{method=\"GET\",route=\"/apps/{app}\",status=\"429\"} 1")
                    .contains("candor_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1")
                    .doesNotContain("route=\"unmatched\",status=\"429\"");
        }
    }

    // The three below are from a review (review-17) that broke the first version of the limit.

    @Test
    void theSignInFormWithATrailingSlashIsLimitedToo() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            for (int i = 0; i < CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                assertThat(signIn(collector, "/admin/", "guess-" + i).statusCode()).isEqualTo(401);
            }
            assertToldToWaitOnThePage(collector, signIn(collector, "/admin/", TestCollector.ADMIN_TOKEN));
            assertToldToWaitOnThePage(collector, signIn(collector, TestCollector.ADMIN_TOKEN));
        }
    }

    /** Sign-in forms held back by one byte, then finished together: each took its slot before its token was read. */
    @Test
    void wrongTokensSentAtOnceAreLimitedToo() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            int n = 40;
            List<Socket> sockets = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Socket socket = new Socket("127.0.0.1", collector.port());
                byte[] body = ("pad=" + "a".repeat(20_000) + "&token=guess-" + i).getBytes(StandardCharsets.US_ASCII);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /admin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length - 1);
                out.flush();
                sockets.add(socket);
                bodies.add(body);
            }
            Thread.sleep(1000);
            int lookedAt = 0;
            for (int i = 0; i < n; i++) {
                Socket socket = sockets.get(i);
                try (socket) {
                    try {
                        socket.getOutputStream().write(bodies.get(i), bodies.get(i).length - 1, 1);
                    } catch (IOException answeredAlready) {
                        // a 429 answered before the body was read may have closed the connection
                    }
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (answer.startsWith("HTTP/1.1 401")) {
                        lookedAt++;
                    }
                }
            }
            assertThat(lookedAt).as("wrong tokens looked at from one address at once")
                    .isLessThanOrEqualTo(CollectorServer.WRONG_TOKENS_AT_ONCE);
        }
    }

    /** An authenticating proxy in front (nginx auth_basic) passes its Basic credential on: it is no admin token. */
    @Test
    void aBasicCredentialOfAnAuthenticatingProxyDoesNotBreakTheDashboard() {
        try (TestCollector collector = TestCollector.startWithDashboard(data)) {
            String basic = "Basic dXNlcjpwYXNz";
            for (int i = 0; i < 2 * CollectorServer.WRONG_TOKENS_AT_ONCE; i++) {
                HttpResponse<String> page = collector.get("/apps/acme", "Authorization", basic);
                assertThat(page.statusCode()).as("the public page").isEqualTo(200);
                assertThat(page.body()).doesNotContain("id=\"exact\"");
            }
            assertThat(collector.get("/", "Authorization", basic).statusCode()).isEqualTo(200);
            assertThat(collector.get("/healthz", "Authorization", basic).statusCode()).isEqualTo(200);
            assertThat(periods(collector, TestCollector.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        }
    }
}
