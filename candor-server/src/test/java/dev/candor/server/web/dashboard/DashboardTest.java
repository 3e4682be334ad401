package dev.candor.server.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.server.docs.HtmlWriter;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.docs.TelemetryDocs;
import dev.candor.server.stats.AcmeFixtures;
import dev.candor.server.stats.Breakdowns;
import dev.candor.server.stats.JsonFilesStatsSource;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsRelease;
import dev.candor.server.testing.TestCollector;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard served by a real Javalin server over real HTTP, reading fixture releases. */
class DashboardTest {

    static final String TOKEN = "s3cret-token";
    static final byte[] SIGN_IN_SECRET = new byte[32];

    static {
        new java.security.SecureRandom().nextBytes(SIGN_IN_SECRET);
    }

    @TempDir
    static Path data;
    static Javalin server;
    static String base;
    static JsonFilesStatsSource stats;
    static Catalog acme;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        AcmeFixtures.write(data);
        stats = new JsonFilesStatsSource(data);
        acme = CatalogParser.parse(Files.readAllBytes(
                Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json")), "catalog.json");
        Catalog fresh = CatalogParser.parse(("{\"catalog\":1,\"app\":\"fresh\",\"title\":\"Fresh app\",\"owner\":\"Fresh people\","
                + "\"policy_url\":\"https://fresh.example/telemetry\",\"endpoint\":"
                + "\"http://localhost:9/v1/reports\",\"events\":{\"started\":{\"description\":\"It started.\","
                + "\"fields\":{}}}}").getBytes(StandardCharsets.UTF_8), "fresh.json");
        DashboardPages pages = new DashboardPages(stats, AppCatalogs.of(Map.of("acme", acme, "fresh", fresh)),
                ReleasePolicy.defaults());
        server = Javalin.create();
        new DashboardRoutes(pages, TOKEN, SIGN_IN_SECRET).addTo(server);
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String latest() {
        return AcmeFixtures.PERIODS.get(AcmeFixtures.PERIODS.size() - 1);
    }

    @Test
    void theIndexListsEveryAppWithItsLatestInstalls() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        StatsGroup g = stats.release("acme", latest(), "overall").orElseThrow().overall().orElseThrow();
        assertThat(r.body()).contains("Acme file toolkit").contains("Fresh app").contains(latest())
                .contains(Numbers.count(g.installs())).contains("none yet");
    }

    @Test
    void theLineChartHasOnePointPerReleaseWithItsInstalls() throws Exception {
        String page = get("/apps/acme").body();
        Matcher m = Pattern.compile("<circle class=\"dot\"[^>]*data-period=\"([0-9-]+)\" data-estimate=\"([0-9]+)\"")
                .matcher(page);
        int points = 0;
        while (m.find()) {
            StatsGroup g = stats.release("acme", m.group(1), "overall").orElseThrow().overall().orElseThrow();
            assertThat(Long.parseLong(m.group(2))).isEqualTo(Math.round(g.installs().value()));
            points++;
        }
        assertThat(points).isEqualTo(AcmeFixtures.PERIODS.size());
        assertThat(page).contains("<polygon class=\"band\"").contains("<polyline class=\"line\"");
    }

    @Test
    void everyFeatureShareOfTheReleaseIsShownWithItsIntervalOrMarkedSuppressed() throws Exception {
        String page = get("/apps/acme?period=" + AcmeFixtures.PERIODS.get(4)).body();
        StatsRelease r = stats.release("acme", AcmeFixtures.PERIODS.get(4), "overall").orElseThrow();
        String features = section(page, "features");
        int suppressed = 0;
        for (StatsItem i : r.overall().orElseThrow().items()) {
            if (i.share() == null || i.event().equals("error")) {
                continue;
            }
            String row = row(features, i.label());
            if (i.share().suppressed()) {
                assertThat(row).contains("class=\"bar-row suppressed\"").contains("data-suppressed=\"true\"")
                        .contains(">suppressed</span>");
                suppressed++;
            } else {
                assertThat(row).contains(Numbers.percent(i.share())).contains(Numbers.percentInterval(i.share()))
                        .contains("<path class=\"whisker\"");
            }
        }
        assertThat(suppressed).as("fixtures withhold some numbers").isPositive();
    }

    @Test
    void breakdownsErrorsTotalsAndLedgerAreOnThePage() throws Exception {
        String page = get("/apps/acme").body();
        for (String dim : Breakdowns.DIMENSIONS) {
            assertThat(page).contains("<h3 id=\"by-" + dim + "\">");
        }
        StatsRelease byOs = stats.release("acme", latest(), "os").orElseThrow();
        for (StatsGroup g : byOs.groups()) {
            assertThat(row(section(page, "breakdowns"), "os=" + g.keyValue())).contains(g.installs().suppressed()
                    ? "suppressed" : Numbers.count(g.installs()));
        }
        assertThat(section(page, "errors")).contains("java.nio.file.NoSuchFileException");
        assertThat(section(page, "ledger")).contains("112 releases so far, ε = 56 in total")
                .contains("<tr data-period=\"" + latest() + "\"><td class=\"period\">" + latest()
                        + "</td><td class=\"breakdowns\">overall and each of the 7 dimensions, ε = 0.5 each</td>"
                        + "<td class=\"num\">4</td><td class=\"num\">56</td></tr>");
    }

    @Test
    void byShowsTheSharesPerGroup() throws Exception {
        String page = get("/apps/acme?by=os").body();
        assertThat(page).contains("<table class=\"matrix\" data-by=\"os\">");
    }

    /**
     * A {@code by} the dashboard does not know (a mistyped link) gets the dashboard's error page, 400, naming the
     * value and listing the valid ones; it used to show the page as if no {@code by} had been given.
     */
    @Test
    void anUnknownByGetsAnErrorPageThatListsTheValidOnes() throws Exception {
        for (String by : List.of("city", "OS", "", "<b>x</b>")) {
            HttpResponse<String> page = get("/apps/acme?by=" + java.net.URLEncoder.encode(by, StandardCharsets.UTF_8));
            assertThat(page.statusCode()).as(by).isEqualTo(400);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(page.body()).as(by).contains("<h1>Bad request</h1>")
                    .contains("There is no breakdown &quot;" + Html.esc(by) + "&quot; to show the features by. Use by= "
                            + "one of app_version, os, arch, runtime, memory_tier, install_method, ci (or overall, or "
                            + "leave it out, for none).")
                    .contains("<a href=\"/apps/acme\">acme without it</a>").doesNotContain("<b>x</b>");
        }
        assertThat(get("/apps/acme?by=overall").statusCode()).isEqualTo(200);
        assertThat(get("/apps/acme?by=ci").statusCode()).isEqualTo(200);
    }

    /** Each share per group is shown with its 95% interval, as every other published number is. */
    @Test
    void theSharesPerGroupCarryTheirIntervals() throws Exception {
        String page = get("/apps/acme?by=os").body();
        int start = page.indexOf("<table class=\"matrix\"");
        String matrix = page.substring(start, page.indexOf("</table>", start));
        int shown = 0;
        for (StatsGroup g : stats.release("acme", latest(), "os").orElseThrow().groups()) {
            for (StatsItem i : g.items()) {
                if (i.share() != null && !i.share().suppressed() && i.share().hasInterval()) {
                    assertThat(matrix).as(g.keyValue() + " " + i.label()).contains("<span class=\"value\">"
                            + Numbers.percent(i.share()) + "</span><span class=\"ci\">"
                            + Numbers.percentInterval(i.share()) + "</span>");
                    shown++;
                }
            }
        }
        assertThat(shown).isGreaterThan(3);
    }

    @Test
    void exactNumbersOnlyWithTheAdminToken() throws Exception {
        assertThat(get("/apps/acme").body()).doesNotContain("id=\"exact\"").doesNotContain(AcmeFixtures.OPEN_PERIOD + ":");
        // a wrong token is answered 401 (through the real server: WrongAdminTokensTest); never the exact numbers
        assertThat(get("/apps/acme", "Authorization", "Bearer wrong").body()).doesNotContain("id=\"exact\"");
        String exact = get("/apps/acme", "Authorization", "Bearer " + TOKEN).body();
        StatsGroup g = stats.rollup("acme", AcmeFixtures.OPEN_PERIOD, "overall").orElseThrow().overall().orElseThrow();
        assertThat(section(exact, "exact")).contains("size = 1KB-1MB").contains(AcmeFixtures.OPEN_PERIOD + ": <span class=\"value\">"
                + Numbers.count(g.installs()) + "</span> installs (exact)");
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookie() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/admin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build();
        HttpResponse<String> r = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(303);
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("candor_admin=v3.").doesNotContain(TOKEN).containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").containsIgnoringCase("Max-Age=28800")
                .doesNotContainIgnoringCase("Secure"); // plain HTTP here; Secure is set when the request came over TLS
        String value = cookie.substring("candor_admin=".length(), cookie.indexOf(';'));
        assertThat(get("/apps/acme", "Cookie", "candor_admin=" + value).body()).contains("id=\"exact\"");
        // the raw token, a forged or tampered value, one made with another token or another secret, or one whose
        // expiry passed, is no sign-in
        String[] parts = value.split("\\.");
        long now = java.time.Instant.now().getEpochSecond();
        DashboardRoutes routes = new DashboardRoutes(null, TOKEN, SIGN_IN_SECRET);
        assertThat(routes.validSignIn(routes.signInValue(now + 3600), now)).isTrue();
        for (String wrong : new String[] {TOKEN, "v3." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2] + "." + parts[3],
                "v2." + parts[1] + "." + parts[3], "v1." + parts[1] + "." + parts[3],
                new DashboardRoutes(null, "another-token", SIGN_IN_SECRET).signInValue(now + 3600),
                new DashboardRoutes(null, TOKEN).signInValue(now + 3600), routes.signInValue(now - 1)}) {
            assertThat(get("/apps/acme", "Cookie", "candor_admin=" + wrong).body()).as(wrong).doesNotContain("id=\"exact\"");
        }
        HttpRequest bad = HttpRequest.newBuilder(URI.create(base + "/admin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=nope")).build();
        assertThat(CLIENT.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    /**
     * The sign-in page says whether this browser is signed in: signed out, it offers the form alone (it
     * offered a Sign out button to everyone too); signed in, it says so and offers Sign out.
     */
    /**
     * A sign-in sent as anything but the page's url-encoded form is refused with the sign-in page and a status
     * that says why (415; 400 for a charset no one can read), never a 500: a broken multipart body or an
     * unknown charset made the form's parser throw.
     */
    @Test
    void aSignInThatIsNoUrlEncodedFormGetsThePageWithWhy() throws Exception {
        String[][] cases = {
            {"multipart/form-data; boundary=", "--x\r\nbroken", "415"},
            {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + TOKEN
                    + "\r\n--b--\r\n", "415"},
            {"application/json", "{\"token\":\"" + TOKEN + "\"}", "415"},
            {"application/x-www-form-urlencoded; charset=x-no-such-charset", "token=" + TOKEN, "400"},
            {"application/x-www-form-urlencoded; charset=\"bad name\"", "token=" + TOKEN, "400"},
        };
        for (String[] c : cases) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/admin")).header("Content-Type", c[0])
                    .POST(HttpRequest.BodyPublishers.ofString(c[1])).build();
            HttpResponse<String> r = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(c[0] + "\n" + r.body()).isEqualTo(Integer.parseInt(c[2]));
            assertThat(r.headers().firstValue("content-type").orElse("")).as(c[0]).startsWith("text/html");
            assertThat(r.body()).as(c[0]).contains("Maintainer sign-in");
            assertThat(r.headers().firstValue("set-cookie")).as(c[0]).isEmpty();
        }
        HttpRequest upper = HttpRequest.newBuilder(URI.create(base + "/admin"))
                .header("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build();
        assertThat(CLIENT.send(upper, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(303);
    }

    @Test
    void theSignInPageSaysWhetherYouAreSignedIn() throws Exception {
        String signedOut = get("/admin").body();
        assertThat(signedOut).contains("name=\"token\"").doesNotContain(DashboardRoutes.SIGN_OUT_PATH)
                .doesNotContain("You are signed in");
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/admin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build();
        String cookie = CLIENT.send(post, HttpResponse.BodyHandlers.ofString()).headers().firstValue("set-cookie")
                .orElseThrow();
        String signedIn = get("/admin", "Cookie", cookie.substring(0, cookie.indexOf(';'))).body();
        assertThat(signedIn).contains("You are signed in as a maintainer")
                .contains("<form method=\"post\" action=\"" + DashboardRoutes.SIGN_OUT_PATH + "\">");
        assertThat(get("/admin", "Cookie", "candor_admin=v3.1.forged.forged").body())
                .doesNotContain(DashboardRoutes.SIGN_OUT_PATH);
    }

    @Test
    void anAppWithoutReleasesSaysHowToSendTheFirstReport() throws Exception {
        String page = get("/apps/fresh").body();
        assertThat(page).contains("No numbers published yet").contains("&lt;artifactId&gt;candor-sdk&lt;/artifactId&gt;")
                .contains("telemetry.counter(&quot;started&quot;).increment();").contains(base + "/v1/reports").contains("FRESH_TELEMETRY_ENDPOINT=" + base + "/v1/reports fresh telemetry send");
    }

    @Test
    void theTelemetryPageIsTheGeneratedDocument() throws Exception {
        String page = get("/apps/acme/telemetry").body();
        assertThat(page).contains(HtmlWriter.fragment(new TelemetryDocs(acme, ReleasePolicy.defaults()).build()));
    }

    @Test
    void unknownAppsAre404WithAWayBack() throws Exception {
        HttpResponse<String> r = get("/apps/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no app named &quot;nope&quot;").contains("href=\"/\"");
        assertThat(get("/apps/nope/telemetry").statusCode()).isEqualTo(404);
    }

    /**
     * Every column of every table has a header a screen reader can say: the bar tables' first column (the
     * item, error type or group each row is about) had an empty one, so a reader moving along a row heard
     * nothing for it.
     */
    @Test
    void everyTableColumnHasAHeader() throws Exception {
        String page = get("/apps/acme?by=os", "Authorization", "Bearer " + TOKEN).body();
        assertThat(page).contains("<table class=\"bars\">").contains("id=\"exact\"");
        Matcher header = Pattern.compile("<th scope=\"col\"[^>]*>(.*?)</th>").matcher(page);
        int headers = 0;
        while (header.find()) {
            assertThat(header.group(1).replaceAll("<[^>]*>", "").trim()).as(header.group()).isNotEmpty();
            headers++;
        }
        assertThat(headers).isGreaterThan(20);
        assertThat(section(page, "features")).contains("<span class=\"sr\">item</span>");
        assertThat(section(page, "errors")).contains("<span class=\"sr\">error type</span>");
        assertThat(section(page, "breakdowns")).contains("<span class=\"sr\">os</span>");
    }

    /**
     * A browser that follows a wrong link on the collector (as {@code candor serve} runs it) gets a page
     * saying what to open instead, with the dashboard's headers; the collector's problem document, raw
     * JSON in a browser, stays the answer for programs and for the API under {@code /v1/}.
     */
    @Test
    void aBrowserAskingForAPageThatDoesNotExistGetsAPageBack(@TempDir Path collectorData) throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(collectorData)) {
            for (String path : new String[] {"/apps", "/nope", "/apps/acme/nope", "/admin/nope"}) {
                HttpResponse<String> r = collector.get(path, "Accept", BROWSER_ACCEPT);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.headers().firstValue("content-type").orElse("")).as(path).startsWith("text/html");
                assertThat(r.headers().firstValue("content-security-policy").orElse("")).as(path)
                        .isEqualTo(DashboardPages.CONTENT_SECURITY_POLICY);
                assertThat(r.headers().firstValue("x-content-type-options").orElse("")).as(path).isEqualTo("nosniff");
                assertThat(r.body()).as(path).startsWith("<!doctype html>").contains("<h1>Not found</h1>")
                        .contains("There is no page at " + path).contains("href=\"/apps/acme\"").contains("href=\"/\"");
            }
            HttpResponse<String> program = collector.get("/nope", "Accept", "application/json");
            assertThat(program.statusCode()).isEqualTo(404);
            assertThat(program.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
            HttpResponse<String> api = collector.get("/v1/nope", "Accept", BROWSER_ACCEPT);
            assertThat(api.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
            HttpResponse<String> app = collector.get("/apps/nope", "Accept", BROWSER_ACCEPT);
            assertThat(app.statusCode()).isEqualTo(404);
            assertThat(app.body()).contains("no app named &quot;nope&quot;").doesNotContain("There is no page at");
        }
    }

    /** What Chromium sends as {@code Accept} when it opens a page. */
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,image/apng,*/*;q=0.8";

    @Test
    void pagesLoadNothingFromElsewhereAndNeedNoScript() throws Exception {
        for (String path : new String[] {"/", "/apps/acme", "/apps/acme/telemetry", "/apps/fresh", "/admin"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.body()).as(path).doesNotContain("<script").doesNotContain("src=\"http")
                    .doesNotContain("<link ").contains("<meta name=\"viewport\"");
            assertThat(r.headers().firstValue("content-security-policy").orElseThrow()).contains("default-src 'none'");
        }
    }

    @Test
    void aMissingPeriodSaysSoAndShowsTheLatest() throws Exception {
        String page = get("/apps/acme?period=1999-01-01").body();
        assertThat(page).contains("There is no release for 1999-01-01; showing the latest, " + latest());
    }

    /** The HTML of {@code <section id="id">}. */
    static String section(String page, String id) {
        int start = page.indexOf("<section id=\"" + id + "\"");
        assertThat(start).as("section " + id).isNotNegative();
        return page.substring(start, page.indexOf("</section>", start));
    }

    /** The table row whose data-key is {@code key}. */
    static String row(String html, String key) {
        String escaped = Html.esc(key);
        int start = html.indexOf("data-key=\"" + escaped + "\"");
        assertThat(start).as("row " + key).isNotNegative();
        return html.substring(html.lastIndexOf("<tr", start), html.indexOf("</tr>", start));
    }
}
