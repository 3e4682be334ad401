package dev.candor.server.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.server.stats.HttpStatsSource;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsRelease;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's main command, seen in a real browser: the packaged {@code candor.jar} runs
 * {@code serve --demo} (a fresh collector filled by the simulator and released), Chromium lays the
 * dashboard out, and the test reads the charts' geometry back against the released numbers that
 * the public stats API serves — each point of the installs line where its number says, each share
 * bar as long as its share. Screenshots go to {@code target/} for review. Needs Debian's chromium
 * and chromium-driver ({@code .ci/run} installs them and sets {@code CANDOR_REQUIRE_BROWSER=1}).
 */
class DashboardBrowserIT {

    static Process serve;
    static Path data;
    static URI base;
    static HttpStatsSource api;
    static final StringBuilder LOG = new StringBuilder();

    @BeforeAll
    static void startTheDemo() throws Exception {
        if ("1".equals(System.getenv("CANDOR_REQUIRE_BROWSER")) && !BrowserSession.available()) {
            throw new AssertionError("CANDOR_REQUIRE_BROWSER=1 but " + BrowserSession.CHROMIUM + " or "
                    + BrowserSession.CHROMEDRIVER + " is missing; apt-get install chromium chromium-driver");
        }
        assumeTrue(BrowserSession.available(), "chromium and chromium-driver are not installed");
        data = Files.createTempDirectory("candor-demo-");
        serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/candor.jar", "serve", "--demo", "--demo-installs", "2500", "--demo-days", "7",
                "--host", "127.0.0.1", "--port", "0",
                "--data", data.toString(), "--catalog", "../examples/acme/src/main/resources/META-INF/candor/catalog.json")
                .redirectErrorStream(true).start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (LOG) {
                        LOG.append(line).append('\n');
                    }
                    lines.offer(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "candor-serve-output");
        reader.setDaemon(true);
        reader.start();
        Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:[0-9]+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                assertThat(serve.isAlive()).as("candor serve --demo exited:\n%s", LOG).isTrue();
                continue;
            }
            Matcher m = listening.matcher(line);
            if (m.find()) {
                base = URI.create(m.group(1));
            }
            if (line.startsWith("demo: simulated")) {
                api = new HttpStatsSource(base, null);
                return;
            }
            assertThat(line).as("candor serve --demo failed:\n%s", LOG).doesNotStartWith("candor serve:");
        }
        throw new AssertionError("candor serve --demo did not finish filling within 180 s:\n" + LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    static final String GEOMETRY = DashboardBrowserTest.GEOMETRY;

    @Test
    void chartsRenderWithTheReleasedNumbersOfTheApi() throws Exception {
        List<String> periods = api.releasedPeriods("acme");
        assertThat(periods).hasSize(7);
        String latest = periods.get(periods.size() - 1);
        StatsGroup overall = api.release("acme", latest, "overall").flatMap(StatsRelease::overall).orElseThrow();
        try (BrowserSession browser = new BrowserSession(1280, 900)) {
            browser.open(base.resolve("apps/acme").toString());
            JsonNode g = browser.execute(GEOMETRY);

            JsonNode dots = g.get("dots");
            int published = 0;
            for (String p : periods) {
                if (!api.release("acme", p, "overall").flatMap(StatsRelease::overall).orElseThrow().installs().suppressed()) {
                    published++;
                }
            }
            assertThat(dots.size()).isEqualTo(published);
            double[] fit = DashboardBrowserTest.fit(dots);
            for (JsonNode d : dots) {
                StatsGroup release = api.release("acme", d.get("period").asText(), "overall")
                        .flatMap(StatsRelease::overall).orElseThrow();
                assertThat(d.get("estimate").asLong()).isEqualTo(Math.round(release.installs().value()));
                assertThat(d.get("cy").asDouble()).as("y of " + d.get("period"))
                        .isCloseTo(fit[0] + fit[1] * d.get("estimate").asDouble(), within(1.5));
            }
            assertThat(g.get("bandHeight").asDouble()).isPositive();

            int drawn = 0;
            for (JsonNode bar : g.get("bars")) {
                StatsItem item = overall.items().stream().filter(i -> i.label().equals(bar.get("key").asText()))
                        .findFirst().orElseThrow();
                if (item.share().suppressed()) {
                    assertThat(bar.get("text").asText()).contains("suppressed");
                } else {
                    assertThat(bar.get("fillWidth").asDouble() / bar.get("svgWidth").asDouble())
                            .as(item.label()).isCloseTo(item.share().value(), within(0.01));
                    assertThat(bar.get("text").asText()).contains(Numbers.percent(item.share()));
                    drawn++;
                }
            }
            // with 2,500 noisy installs the common features are published; which others pass suppression varies
            assertThat(drawn).as("published shares drawn as bars").isGreaterThanOrEqualTo(1);
            assertThat(g.get("summary").asText()).contains(Numbers.count(overall.installs()));
            browser.screenshotWholePage(Path.of("target/dashboard.png"), 1280);
        }
    }

    @Test
    void usableOnAPhone() throws Exception {
        try (BrowserSession browser = new BrowserSession(390, 844)) {
            browser.open(base.resolve("apps/acme").toString());
            JsonNode g = browser.execute(GEOMETRY);
            assertThat(g.get("pageWidth").asDouble()).as("no sideways scrolling of the page").isLessThanOrEqualTo(390);
            assertThat(g.get("chartWidth").asDouble()).isBetween(300.0, 390.0);
            browser.screenshotWholePage(Path.of("target/dashboard-phone.png"), 390);
        }
    }
}
