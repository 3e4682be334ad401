package dev.candor.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsJsonTest {

    @Test
    void readsTheContractExampleOfIssue5() throws IOException {
        String json = new String(getClass().getResourceAsStream("/stats-contract-example.json").readAllBytes(),
                StandardCharsets.UTF_8);
        StatsRelease r = StatsJson.parseRelease(json, "example");
        assertThat(r.app()).isEqualTo("acme");
        assertThat(r.period()).isEqualTo("2026-11-24");
        assertThat(r.epsilon()).isEqualTo(0.5);
        assertThat(r.m()).isEqualTo(32);
        assertThat(r.exact()).isFalse();
        StatsGroup g = r.overall().orElseThrow();
        assertThat(g.installs()).isEqualTo(Estimate.noisy(4980, 4902, 5058));
        StatsItem convert = g.items().get(0);
        assertThat(convert.label()).isEqualTo("command_run.command = convert");
        assertThat(convert.installsUsing()).isEqualTo(Estimate.noisy(1210, 1132, 1288));
        assertThat(convert.share()).isEqualTo(Estimate.noisy(0.243, 0.226, 0.260));
    }

    @Test
    void writingThenReadingGivesTheSameRelease(@TempDir Path dir) throws IOException {
        AcmeFixtures.write(dir);
        JsonFilesStatsSource source = new JsonFilesStatsSource(dir);
        for (String by : Breakdowns.ALL) {
            StatsRelease r = source.release("acme", AcmeFixtures.PERIODS.get(3), by).orElseThrow();
            assertThat(StatsJson.parseRelease(StatsJson.write(r), "round trip")).isEqualTo(r);
        }
    }

    @Test
    void suppressedNumbersCarryNoEstimate() {
        StatsRelease r = StatsJson.parseRelease("""
                {"app":"acme","period":"2026-11-24","by":"os","epsilon":0.5,"m":32,
                 "groups":[{"key":{"os":"other"},"installs":{"estimate":null,"ci95":null,"suppressed":true},"items":[]}]}""",
                "t");
        assertThat(r.groups().get(0).installs().suppressed()).isTrue();
        assertThat(r.groups().get(0).installs().value()).isNull();
        assertThat(r.groups().get(0).keyValue()).isEqualTo("other");
    }

    @Test
    void exactRollupsMayGiveBareNumbers() {
        StatsRelease r = StatsJson.parseRelease("""
                {"app":"acme","period":"2026-11-25","by":"overall",
                 "groups":[{"key":{},"installs":5012,"items":[{"event":"error","installs_using":{"estimate":40}}]}]}""",
                "t");
        assertThat(r.exact()).isTrue();
        assertThat(r.overall().orElseThrow().installs()).isEqualTo(Estimate.exact(5012));
        assertThat(r.overall().orElseThrow().items().get(0).installsUsing()).isEqualTo(Estimate.exact(40));
    }

    @Test
    void badDocumentsNameWhereTheyAreWrong() {
        assertThatThrownBy(() -> StatsJson.parseRelease("{\"app\":\"acme\",\"period\":\"p\",\"groups\":[{\"key\":{}}]}", "stats.json"))
                .hasMessage("stats.json: groups[0]: \"installs\" is missing");
        assertThatThrownBy(() -> StatsJson.parseRelease("{\"app\":\"acme\",\"period\":\"p\",\"groups\":[{\"key\":{},"
                + "\"installs\":{\"estimate\":5,\"ci95\":[1]}}]}", "stats.json"))
                .hasMessage("stats.json: groups[0].installs: \"ci95\" must be [low, high]");
        assertThatThrownBy(() -> StatsJson.parseRelease("{\"app\":", "stats.json"))
                .hasMessageStartingWith("stats.json: not valid JSON");
        assertThatThrownBy(() -> StatsJson.parseRelease("{\"period\":\"p\",\"groups\":[]}", "stats.json"))
                .hasMessage("stats.json: \"app\" must be a string");
    }

    @Test
    void readsLedgersAsArraysOrObjects() {
        List<LedgerEntry> a = StatsJson.parseLedger("""
                [{"app":"acme","period":"2026-11-24","breakdown":"overall","epsilon":0.5,"cumulative_epsilon":0.5}]""", "t");
        List<LedgerEntry> b = StatsJson.parseLedger("""
                {"app":"acme","entries":[{"period":"2026-11-24","by":"overall","epsilon":0.5,"cumulative_epsilon":0.5}]}""", "t");
        assertThat(a).isEqualTo(b).containsExactly(new LedgerEntry("acme", "2026-11-24", "overall", 0.5, 0.5));
    }

    @Test
    void fixturesWithholdTheRareOperatingSystem(@TempDir Path dir) throws IOException {
        AcmeFixtures.write(dir);
        StatsRelease byOs = new JsonFilesStatsSource(dir).release("acme", AcmeFixtures.PERIODS.get(0), "os").orElseThrow();
        StatsGroup other = byOs.groups().stream().filter(g -> g.keyValue().equals("other")).findFirst().orElseThrow();
        assertThat(other.installs().suppressed()).isTrue();
        assertThat(new JsonFilesStatsSource(dir).unreleasedPeriods("acme")).containsExactly(AcmeFixtures.OPEN_PERIOD);
    }
}
