package dev.candor.server.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.server.cli.CandorCommand;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.testing.TestCollector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole path, as issue 5 asks: 5,000 simulated installs over 3 days, built by the SDK's own
 * report builder, posted over HTTP into a real collector, rolled up, released; then the public
 * stats are checked against the truth file the simulator wrote.
 */
class SimulationEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path data;
    @TempDir Path work;

    record Run(int exit, String out, String err) {
    }

    static Run candor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CandorCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private static String key(JsonNode item) {
        return item.get("event").asText() + "|" + item.path("field").asText("") + "|" + item.path("value").asText("")
                + "|" + item.path("cell").toString();
    }

    /**
     * A truth file that cannot be written was found out only after every report had been sent: the collector
     * then held a population nobody could check. It is now refused before anything is sent.
     */
    @Test
    void aTruthFileThatCannotBeWrittenIsRefusedBeforeAnyReportIsSent() throws Exception {
        Path aFile = Files.writeString(work.resolve("a-file"), "x");
        try (TestCollector collector = TestCollector.start(data)) {
            for (Path truth : new Path[] {work, aFile.resolve("truth.json")}) {
                Run simulate = candor("simulate", "--installs", "50", "--days", "1",
                        "--target", "http://127.0.0.1:" + collector.port(), "--seed", "7", "--truth", truth.toString());
                assertThat(simulate.exit()).as(simulate.err()).isEqualTo(2);
                assertThat(simulate.err()).startsWith("candor simulate: cannot write the truth file " + truth + ": ")
                        .endsWith("; nothing was sent\n").doesNotContain(".tmp");
                assertThat(simulate.out()).isEmpty();
            }
            assertThat(collector.store().periods("acme")).isEmpty();
        }
        try (var left = Files.list(work)) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactly("a-file");
        }
    }

    @Test
    void releasesOfASimulatedPopulationHoldTheTruthInTheirIntervals() throws Exception {
        Path truthFile = work.resolve("truth.json");
        try (TestCollector collector = TestCollector.start(data)) {
            Run simulate = candor("simulate", "--installs", "5000", "--days", "3",
                    "--target", "http://127.0.0.1:" + collector.port(), "--seed", "20261124", "--truth", truthFile.toString());
            assertThat(simulate.exit()).as(simulate.err()).isZero();
            assertThat(simulate.out()).contains("duplicates").contains("ground truth: " + truthFile);

            JsonNode truth = JSON.readTree(truthFile.toFile());
            assertThat(truth.get("periods")).hasSize(3);

            RollupStore rollups = new RollupStore(collector.store().dataSource());
            new RollupJob(collector.store(), rollups, Clock.systemUTC(), new Random(1)).rollUp();
            ReleaseJob releases = new ReleaseJob(rollups, new ReleaseLedger(collector.store().dataSource()),
                    ReleasePolicy.defaults(), Clock.systemUTC(), new Random(2));

            int unsuppressed = 0;
            int inside = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = truth.get("periods").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> period = it.next();
                JsonNode periodTruth = period.getValue();
                long installs = periodTruth.get("installs").asLong();
                assertThat(installs).isBetween(2500L, 4500L);
                // Every report arrived once.
                assertThat(collector.store().periods("acme")).anySatisfy(p -> {
                    assertThat(p.period().toString()).isEqualTo(period.getKey());
                    assertThat(p.reports()).isEqualTo(installs);
                });
                Map<String, Long> using = new HashMap<>();
                periodTruth.get("items").forEach(i -> using.put(key(i), i.get("installs_using").asLong()));
                periodTruth.get("cells").forEach(i -> using.put(key(i), i.get("installs_using").asLong()));

                // The maintainer's rollup is exact: it equals the truth for every event sent exact.
                JsonNode exact = JSON.readTree(collector.get("/v1/apps/acme/rollups?period=" + period.getKey(),
                        "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN).body()).get("groups").get(0);
                assertThat(exact.get("installs").get("estimate").asLong()).isEqualTo(installs);
                for (String list : new String[] {"items", "cells"}) {
                    exact.get(list).forEach(i -> {
                        if (!i.get("installs_using").isNull()) {
                            assertThat(i.get("installs_using").get("estimate").asLong()).as(key(i))
                                    .isEqualTo(using.getOrDefault(key(i), 0L));
                        }
                    });
                }

                releases.release("acme", CurrentCatalogs.load(collector.store()).get("acme"), period.getKey());
                JsonNode group = JSON.readTree(collector.get("/v1/apps/acme/stats?period=" + period.getKey()).body())
                        .get("groups").get(0);
                JsonNode installsEstimate = group.get("installs");
                assertThat(installsEstimate.get("suppressed").asBoolean()).isFalse();
                assertThat(installsEstimate.get("ci95").get(0).asLong()).isLessThanOrEqualTo(installs);
                assertThat(installsEstimate.get("ci95").get(1).asLong()).isGreaterThanOrEqualTo(installs);
                for (String list : new String[] {"items", "cells"}) {
                    for (JsonNode item : group.get(list)) {
                        JsonNode estimate = item.get("installs_using");
                        if (estimate.get("suppressed").asBoolean()) {
                            assertThat(estimate.get("estimate").isNull()).isTrue();
                            continue;
                        }
                        unsuppressed++;
                        long t = using.getOrDefault(key(item), 0L);
                        if (estimate.get("ci95").get(0).asLong() <= t && t <= estimate.get("ci95").get(1).asLong()) {
                            inside++;
                        }
                    }
                }
            }
            assertThat(unsuppressed).isGreaterThanOrEqualTo(20);
            assertThat((double) inside / unsuppressed).as("%d of %d unsuppressed items hold the truth", inside, unsuppressed)
                    .isGreaterThanOrEqualTo(0.90);
        }
    }

    @Test
    void aTargetThatIsNotACollectorIsNamedWithWhatToDo() {
        Run notUrl = candor("simulate", "--installs", "10", "--days", "1", "--target", "localhost:8080");
        assertThat(notUrl.exit()).isEqualTo(2);
        assertThat(notUrl.err()).contains("--target must be the collector's http(s) URL");

        Run tooManyDays = candor("simulate", "--installs", "10", "--days", "40", "--target", "http://127.0.0.1:9");
        assertThat(tooManyDays.err()).contains("--days must be 1 to 21");

        Run nobody = candor("simulate", "--installs", "10", "--days", "1", "--target", "http://127.0.0.1:9");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).contains("cannot reach the collector at http://127.0.0.1:9/");
        assertThat(nobody.out()).startsWith("simulating 10 acme installs over 1 day into http://127.0.0.1:9 (seed ");
    }
}
