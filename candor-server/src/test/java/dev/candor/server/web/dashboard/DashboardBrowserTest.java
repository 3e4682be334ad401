package dev.candor.server.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.stats.AcmeFixtures;
import dev.candor.server.stats.JsonFilesStatsSource;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsRelease;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Chromium lays the server-rendered charts out, and the test
 * reads their geometry back — each point of the installs line sits where its released number says,
 * each share bar is as long as its share — then saves screenshots to {@code target/} for review.
 * Needs Debian's chromium and chromium-driver ({@code .ci/run} installs them and sets
 * {@code CANDOR_REQUIRE_BROWSER=1}, which turns a missing browser into a failure).
 */
class DashboardBrowserTest {

    @TempDir
    static Path data;
    static Javalin server;
    static String base;
    static JsonFilesStatsSource stats;

    @BeforeAll
    static void start() throws Exception {
        boolean required = "1".equals(System.getenv("CANDOR_REQUIRE_BROWSER"));
        if (required && !BrowserSession.available()) {
            throw new AssertionError("CANDOR_REQUIRE_BROWSER=1 but " + BrowserSession.CHROMIUM + " or "
                    + BrowserSession.CHROMEDRIVER + " is missing; apt-get install chromium chromium-driver");
        }
        assumeTrue(BrowserSession.available(), "chromium and chromium-driver are not installed");
        AcmeFixtures.write(data);
        stats = new JsonFilesStatsSource(data);
        Catalog acme = CatalogParser.parse(Files.readAllBytes(
                Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json")), "catalog.json");
        server = Javalin.create();
        new DashboardRoutes(new DashboardPages(stats, AppCatalogs.of(Map.of("acme", acme)), ReleasePolicy.defaults()),
                null).addTo(server);
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static final String GEOMETRY = """
            const r = e => e.getBoundingClientRect();
            const dots = [...document.querySelectorAll('svg.line-chart circle.dot')].map(c => ({
              period: c.dataset.period, estimate: Number(c.dataset.estimate),
              cy: r(c).top + r(c).height / 2, visible: r(c).width > 0 }));
            const band = r(document.querySelector('svg.line-chart polygon.band'));
            const bars = [...document.querySelectorAll('#features tr.bar-row')].map(tr => {
              const svg = tr.querySelector('svg.bar'); const fill = svg.querySelector('rect.fill');
              return { key: tr.dataset.key, suppressed: svg.dataset.suppressed === 'true',
                       share: svg.dataset.estimate ? Number(svg.dataset.estimate) : null,
                       svgWidth: r(svg).width, fillWidth: fill ? r(fill).width : 0,
                       text: tr.querySelector('td.num').innerText };
            });
            return { dots, bandHeight: band.height, bars,
                     summary: document.querySelector('#summary .big').innerText,
                     pageWidth: document.documentElement.scrollWidth,
                     chartWidth: r(document.querySelector('svg.line-chart')).width };
            """;

    @Test
    void chartsRenderWithTheReleasedNumbers() throws Exception {
        String latest = AcmeFixtures.PERIODS.get(AcmeFixtures.PERIODS.size() - 1);
        StatsGroup overall = stats.release("acme", latest, "overall").flatMap(StatsRelease::overall).orElseThrow();
        try (BrowserSession browser = new BrowserSession(1280, 900)) {
            browser.open(base + "/apps/acme");
            JsonNode g = browser.execute(GEOMETRY);

            // the installs line: one visible point per release, placed linearly by its number
            JsonNode dots = g.get("dots");
            assertThat(dots.size()).isEqualTo(AcmeFixtures.PERIODS.size());
            double[] fit = fit(dots);
            for (JsonNode d : dots) {
                StatsGroup release = stats.release("acme", d.get("period").asText(), "overall")
                        .flatMap(StatsRelease::overall).orElseThrow();
                assertThat(d.get("estimate").asLong()).isEqualTo(Math.round(release.installs().value()));
                assertThat(d.get("visible").asBoolean()).isTrue();
                assertThat(d.get("cy").asDouble()).as("y of " + d.get("period"))
                        .isCloseTo(fit[0] + fit[1] * d.get("estimate").asDouble(), within(1.5));
            }
            assertThat(fit[1]).as("a larger number is drawn higher").isNegative();
            assertThat(g.get("bandHeight").asDouble()).isPositive();

            // the share bars: as long as their share; withheld ones empty and labelled
            int drawn = 0;
            for (JsonNode bar : g.get("bars")) {
                StatsItem item = overall.items().stream().filter(i -> i.label().equals(bar.get("key").asText()))
                        .findFirst().orElseThrow();
                if (item.share().suppressed()) {
                    assertThat(bar.get("suppressed").asBoolean()).isTrue();
                    assertThat(bar.get("text").asText()).contains("suppressed");
                } else {
                    assertThat(bar.get("fillWidth").asDouble() / bar.get("svgWidth").asDouble())
                            .as(item.label()).isCloseTo(item.share().value(), within(0.01));
                    assertThat(bar.get("text").asText()).contains(Numbers.percent(item.share()));
                    drawn++;
                }
            }
            assertThat(drawn).isGreaterThan(3);
            assertThat(g.get("summary").asText()).contains(Numbers.count(overall.installs()));
            browser.screenshotWholePage(Path.of("target/dashboard.png"), 1280);
        }
    }

    @Test
    void usableOnAPhone() throws Exception {
        try (BrowserSession browser = new BrowserSession(390, 844)) {
            browser.open(base + "/apps/acme");
            JsonNode g = browser.execute(GEOMETRY);
            assertThat(g.get("pageWidth").asDouble()).as("no sideways scrolling of the page").isLessThanOrEqualTo(390);
            assertThat(g.get("chartWidth").asDouble()).isBetween(300.0, 390.0);
            for (JsonNode bar : g.get("bars")) {
                assertThat(bar.get("svgWidth").asDouble()).as("bar of " + bar.get("key")).isGreaterThan(40);
            }
            browser.screenshotWholePage(Path.of("target/dashboard-phone.png"), 390);
        }
    }

    /**
     * The shares per group ({@code ?by=os}) on a phone: the table is wider than the screen, so it scrolls
     * sideways, and its item names keep their words whole (they wrapped one or two letters to a line, each
     * row ten lines tall), and its caption is readable without scrolling.
     */
    @Test
    void theSharesPerGroupScrollOnAPhoneWithTheirNamesWhole() throws Exception {
        try (BrowserSession browser = new BrowserSession(390, 844)) {
            browser.open(base + "/apps/acme?by=os");
            JsonNode g = browser.execute("""
                    const table = document.querySelector('table.matrix');
                    const scroller = table.parentElement;
                    const lineHeight = parseFloat(getComputedStyle(table.querySelector('tbody th')).lineHeight);
                    const names = [...table.querySelectorAll('tbody th[scope=row]')].map(th => ({
                      name: th.innerText, lines: th.getBoundingClientRect().height / lineHeight }));
                    const range = document.createRange();
                    range.selectNodeContents(table.querySelector('caption'));
                    return { names, pageWidth: document.documentElement.scrollWidth,
                             scrolls: scroller.scrollWidth > scroller.clientWidth,
                             scrollerRight: scroller.getBoundingClientRect().right,
                             captionRight: range.getBoundingClientRect().right };
                    """);
            assertThat(g.get("pageWidth").asDouble()).as("no sideways scrolling of the page").isLessThanOrEqualTo(390);
            assertThat(g.get("scrolls").asBoolean()).as("the table scrolls inside its box").isTrue();
            assertThat(g.get("names").size()).isGreaterThan(3);
            for (JsonNode name : g.get("names")) {
                assertThat(name.get("lines").asDouble()).as("lines taken by " + name.get("name")).isLessThan(3.5);
            }
            assertThat(g.get("captionRight").asDouble()).as("the caption is in view")
                    .isLessThanOrEqualTo(g.get("scrollerRight").asDouble() + 1);
            browser.screenshotWholePage(Path.of("target/dashboard-phone-by-os.png"), 390);
        }
    }

    /**
     * The installs chart on a phone: its axis labels are drawn in the chart's own units, so when the chart
     * shrinks to the screen they must not shrink below a readable size (they were 7 px), nor overlap, nor
     * leave the screen.
     */
    @Test
    void theChartsAxisLabelsAreReadableOnAPhone() throws Exception {
        try (BrowserSession browser = new BrowserSession(390, 844)) {
            browser.open(base + "/apps/acme");
            JsonNode ticks = browser.execute("""
                    return [...document.querySelectorAll('svg.line-chart text.tick')].map(t => {
                      const r = t.getBoundingClientRect();
                      return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                               px: parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getBoundingClientRect().width
                                   / t.ownerSVGElement.viewBox.baseVal.width };
                    });
                    """);
            assertThat(ticks.size()).isGreaterThan(5);
            for (int i = 0; i < ticks.size(); i++) {
                JsonNode t = ticks.get(i);
                assertThat(t.get("px").asDouble()).as("size of " + t.get("text")).isGreaterThanOrEqualTo(11);
                assertThat(t.get("left").asDouble()).as("left of " + t.get("text")).isGreaterThanOrEqualTo(0);
                assertThat(t.get("right").asDouble()).as("right of " + t.get("text")).isLessThanOrEqualTo(390);
                for (int k = 0; k < i; k++) {
                    JsonNode o = ticks.get(k);
                    boolean apart = t.get("right").asDouble() <= o.get("left").asDouble()
                            || o.get("right").asDouble() <= t.get("left").asDouble()
                            || t.get("bottom").asDouble() <= o.get("top").asDouble()
                            || o.get("bottom").asDouble() <= t.get("top").asDouble();
                    assertThat(apart).as(t.get("text") + " overlaps " + o.get("text")).isTrue();
                }
            }
        }
    }

    /**
     * The same page as {@code candor catalog docs --format html} writes it, standalone with its own stylesheet:
     * it fits a phone too.
     */
    @Test
    void theStandaloneTelemetryPageFitsAPhone(@TempDir Path dir) throws Exception {
        Catalog acme = CatalogParser.parse(Files.readAllBytes(
                Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json")), "catalog.json");
        Path page = Files.writeString(dir.resolve("TELEMETRY.html"),
                new dev.candor.server.docs.TelemetryDocs(acme, ReleasePolicy.defaults()).html());
        try (BrowserSession browser = new BrowserSession(390, 844)) {
            browser.open(page.toUri().toString());
            assertFitsAPhone(browser);
        }
    }

    /**
     * The "what we collect" page on a phone: long unbroken code (the catalog's SHA-256, the paths of the
     * opt-out files) wraps inside the page instead of pushing it wider than the screen.
     */
    @Test
    void theTelemetryPageFitsAPhone() throws Exception {
        try (BrowserSession browser = new BrowserSession(390, 844)) {
            browser.open(base + "/apps/acme/telemetry");
            assertFitsAPhone(browser);
            browser.screenshotWholePage(Path.of("target/telemetry-phone.png"), 390);
        }
    }

    /** The open page, on a 390 px wide phone: no inline code sticks out of it, and it needs no sideways scrolling. */
    private static void assertFitsAPhone(BrowserSession browser) throws Exception {
        JsonNode g = browser.execute("""
                const wide = [...document.querySelectorAll('main code')]
                  .filter(c => !c.closest('.table-scroll, pre') && c.getBoundingClientRect().right > 390)
                  .map(c => c.textContent);
                return { pageWidth: document.documentElement.scrollWidth, wide };
                """);
        assertThat(g.get("wide").size()).as("code sticking out of the page: " + g.get("wide")).isZero();
        assertThat(g.get("pageWidth").asDouble()).as("no sideways scrolling of the page").isLessThanOrEqualTo(390);
    }

    /**
     * A maintainer signs in with the form and out with the button on the app page, in a real browser: the
     * cookie reaches the pages (same-site, HTTP-only: no script on the page can read it), and after signing
     * out the same browser sees the public page again.
     */
    @Test
    void aMaintainerSignsInAndOutInTheBrowser() throws Exception {
        String token = "browser-admin-token-2026";
        Javalin withToken = Javalin.create();
        new DashboardRoutes(new DashboardPages(stats, AppCatalogs.of(Map.of("acme", CatalogParser.parse(Files.readAllBytes(
                Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json")), "catalog.json"))),
                ReleasePolicy.defaults()), token).addTo(withToken);
        withToken.start("127.0.0.1", 0);
        String at = "http://127.0.0.1:" + withToken.port();
        String signedIn = "return document.querySelector('.maintainer-note') !== null;";
        try (BrowserSession browser = new BrowserSession(1280, 900)) {
            browser.open(at + "/admin");
            browser.type("input[name=token]", "not-the-token");
            browser.click("form[action='/admin'] button[type=submit]");
            assertThat(browser.await("document.body.innerText.includes(\"not this collector's admin token\")"))
                    .as("the wrong token is told so").isTrue();
            browser.type("input[name=token]", token);
            browser.click("form[action='/admin'] button[type=submit]");
            assertThat(browser.await("location.pathname === '/'")).as("sent home once signed in").isTrue();
            browser.open(at + "/apps/acme");
            assertThat(browser.execute(signedIn).asBoolean()).as("signed in").isTrue();
            assertThat(browser.execute("return document.cookie;").asText()).as("the cookie is HTTP-only").isEmpty();

            browser.click("form[action='" + DashboardRoutes.SIGN_OUT_PATH + "'] button");
            assertThat(browser.await("location.pathname === '/'")).as("sent home once signed out").isTrue();
            browser.open(at + "/apps/acme");
            assertThat(browser.execute(signedIn).asBoolean()).as("signed out").isFalse();
        } finally {
            withToken.stop();
        }
    }

    /** Least-squares line cy = a + b·estimate through the points. */
    static double[] fit(JsonNode dots) {
        double n = dots.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (JsonNode d : dots) {
            double x = d.get("estimate").asDouble();
            double y = d.get("cy").asDouble();
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {(sy - b * sx) / n, b};
    }
}
