package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.internal.noise.DiscreteLaplace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReleaseMechanismTest {

    private static final double EPSILON = 0.5;
    private static final int M = 32;

    private static BreakdownCounts.ItemCount fixed(Item item, long used) {
        return new BreakdownCounts.ItemCount(item, false, used);
    }

    private static BreakdownCounts overall(long installs, BreakdownCounts.ItemCount... items) {
        return new BreakdownCounts("overall", List.of(new BreakdownCounts.Group(Map.of(), false, installs, List.of(items))));
    }

    private static Release release(BreakdownCounts counts, Random random) {
        return ReleaseMechanism.release("acme", "2026-11-24", counts, EPSILON, M, List.of(), random);
    }

    @Test
    void theNoiseOnEveryNumberIsTheSharedDiscreteLaplaceAtScaleOnePlusMOverEpsilon() {
        // Chi-square of the published errors against the shared sampler's exact pmf at scale 66,
        // in bins of width 20 over [-200, 200) plus the two tails: 21 bins, 20 degrees of freedom,
        // 45.31 is the 0.999 quantile.
        double scale = (1.0 + M) / EPSILON;
        long truth = 100_000;
        BreakdownCounts counts = overall(truth, fixed(Item.event("command_run"), truth));
        Random random = new Random(3);
        int[] observed = new int[22];
        int samples = 0;
        for (int i = 0; i < 10_000; i++) {
            Release r = release(counts, random);
            for (long value : List.of(r.groups().get(0).installs().estimate().longValue(),
                    r.groups().get(0).items().get(0).installsUsing().estimate().longValue())) {
                observed[bin(value - truth)]++;
                samples++;
            }
        }
        double[] expected = new double[22];
        for (long z = -3000; z <= 3000; z++) {
            expected[bin(z)] += DiscreteLaplace.pmf(z, scale) * samples;
        }
        double chiSquare = 0;
        for (int b = 0; b < 22; b++) {
            chiSquare += (observed[b] - expected[b]) * (observed[b] - expected[b]) / expected[b];
        }
        assertThat(chiSquare).isLessThan(45.31);
    }

    private static int bin(long z) {
        if (z < -200) {
            return 0;
        }
        if (z >= 200) {
            return 21;
        }
        return 1 + (int) ((z + 200) / 20);
    }

    @Test
    void theTruthLiesInsideTheNinetyFivePercentIntervalAboutNinetyFivePercentOfTheTime() {
        long installs = 5000;
        long[] used = {4100, 2400, 1200, 900};
        List<BreakdownCounts.ItemCount> items = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            items.add(fixed(Item.fieldValue("command_run", "command", "c" + i), used[i]));
        }
        BreakdownCounts counts = new BreakdownCounts("overall",
                List.of(new BreakdownCounts.Group(Map.of(), false, installs, items)));
        Random random = new Random(5);
        int counted = 0;
        int countsInside = 0;
        int shares = 0;
        int sharesInside = 0;
        for (int i = 0; i < 5000; i++) {
            Release.Group group = release(counts, random).groups().get(0);
            counted++;
            countsInside += inside(group.installs(), installs) ? 1 : 0;
            for (int j = 0; j < used.length; j++) {
                Release.Published p = group.items().get(j);
                if (!p.installsUsing().suppressed()) {
                    counted++;
                    countsInside += inside(p.installsUsing(), used[j]) ? 1 : 0;
                }
                if (!p.share().suppressed()) {
                    shares++;
                    sharesInside += inside(p.share(), (double) used[j] / installs) ? 1 : 0;
                }
            }
        }
        assertThat(counted).isGreaterThan(15_000);
        assertThat((double) countsInside / counted).isBetween(0.93, 0.97);
        // The ratio interval holds whenever both of its counts do, so it covers at least as often.
        assertThat(shares).isGreaterThan(10_000);
        assertThat((double) sharesInside / shares).isGreaterThanOrEqualTo(0.95);
    }

    private static boolean inside(Estimate e, double truth) {
        return e.low().doubleValue() <= truth && truth <= e.high().doubleValue();
    }

    @Test
    void aSmallGroupPublishesNoEstimateAtAll() {
        Release r = release(overall(30, fixed(Item.event("command_run"), 30)), new Random(1));
        Release.Group group = r.groups().get(0);
        assertThat(group.installs().suppressed()).isTrue();
        assertThat(group.items()).singleElement().satisfies(p -> {
            assertThat(p.installsUsing()).isEqualTo(Estimate.SUPPRESSED);
            assertThat(p.share()).isEqualTo(Estimate.SUPPRESSED);
        });
    }

    @Test
    void fixedKeysArePublishedEvenWhenUnusedAndOpenKeysOnlyAboveTheThreshold() {
        long installs = 100_000;
        var group = new BreakdownCounts.Group(Map.of("app_version", "2.0"), true, installs, List.of(
                fixed(Item.fieldValue("command_run", "command", "hash"), 0),
                new BreakdownCounts.ItemCount(Item.fieldValue("error", "type", "java.io.IOException"), true, 50_000),
                new BreakdownCounts.ItemCount(Item.fieldValue("error", "type", "org.acme.Rare"), true, 1)));
        var openGroup = new BreakdownCounts.Group(Map.of("app_version", "9.9"), true, 1, List.of());
        Random random = new Random(9);
        for (int i = 0; i < 200; i++) {
            Release r = release(new BreakdownCounts("app_version", List.of(group, openGroup)), random);
            assertThat(r.groups()).hasSize(1);
            assertThat(r.groups().get(0).items()).extracting(p -> p.item().value())
                    .containsExactly("hash", "java.io.IOException");
            assertThat(r.groups().get(0).items().get(0).installsUsing().suppressed()).isTrue();
            assertThat(r.openKeyThreshold()).isEqualTo(1251);
        }
    }

    @Test
    void theJsonIsTheStatsApiContract() throws Exception {
        Map<String, String> cell = new LinkedHashMap<>();
        cell.put("command", "convert");
        cell.put("success", "true");
        BreakdownCounts counts = new BreakdownCounts("os", List.of(new BreakdownCounts.Group(Map.of("os", "linux"), false, 5000,
                List.of(fixed(Item.event("command_run"), 4100),
                        fixed(Item.fieldValue("command_run", "command", "convert"), 1200),
                        fixed(Item.cell("command_run", cell), 1000)))));
        Release r = ReleaseMechanism.release("acme", "2026-11-24", counts, EPSILON, M,
                List.of("input_size is noised on each install"), new Random(2));
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r.toJson()));

        assertThat(json.fieldNames()).toIterable().startsWith("app", "period", "by", "epsilon", "m", "groups");
        assertThat(json.get("app").asText()).isEqualTo("acme");
        assertThat(json.get("period").asText()).isEqualTo("2026-11-24");
        assertThat(json.get("by").asText()).isEqualTo("os");
        assertThat(json.get("epsilon").asDouble()).isEqualTo(0.5);
        assertThat(json.get("m").asInt()).isEqualTo(32);
        assertThat(json.get("notes").get(0).asText()).isEqualTo("input_size is noised on each install");
        JsonNode group = json.get("groups").get(0);
        assertThat(group.get("key").toString()).isEqualTo("{\"os\":\"linux\"}");
        assertThat(group.get("installs").fieldNames()).toIterable().containsExactly("estimate", "ci95", "suppressed");
        assertThat(group.get("installs").get("ci95")).hasSize(2);

        JsonNode event = group.get("items").get(0);
        assertThat(event.fieldNames()).toIterable().containsExactly("event", "installs_using", "share");
        JsonNode value = group.get("items").get(1);
        assertThat(value.fieldNames()).toIterable().containsExactly("event", "field", "value", "installs_using", "share");
        assertThat(value.get("share").get("estimate").isDouble()).isTrue();
        assertThat(value.get("installs_using").get("estimate").isIntegralNumber()).isTrue();
        JsonNode fullCell = group.get("cells").get(0);
        assertThat(fullCell.get("cell").toString()).isEqualTo("{\"command\":\"convert\",\"success\":\"true\"}");
    }
}
