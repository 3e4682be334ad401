package dev.candor.server.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.release.Item;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollupJobTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @TempDir Path data;
    SqliteReportStore store;
    RollupStore rollups;
    RollupJob job;

    @BeforeEach
    void open() {
        store = SqliteReportStore.open(data);
        Reports.saveAcmeCatalog(store);
        rollups = new RollupStore(store.dataSource());
        job = new RollupJob(store, rollups, NOW, new Random(1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static PeriodRollup.ItemRollup item(PeriodRollup.GroupRollup group, Item item) {
        return group.items().stream().filter(i -> i.item().equals(item)).findFirst().orElseThrow();
    }

    @Test
    void countsInstallsUsingAndClampedTotalsPerItem() {
        store.storeAll(List.of(
                Reports.on(DAY).run("convert", true, "1s-5s", 4).run("hash", false, "<100ms", 1)
                        .error("java.io.IOException", 1).inputSizes(2, -1, 0, 0).build(),
                Reports.on(DAY).run("convert", true, "1s-5s", 100).inputSizes(1, 0, 0, 1).build(),
                Reports.on(DAY).os("macos").version("1.9").run("count", true, "<100ms", 2).inputSizes(0, 0, 0, 0).build()));

        assertThat(job.rollUp()).containsExactly("acme 2026-11-24");
        PeriodRollup rollup = rollups.load("acme", "2026-11-24").orElseThrow();
        assertThat(rollup.reports()).isEqualTo(3);
        assertThat(rollup.m()).isEqualTo(32);

        PeriodRollup.GroupRollup overall = rollup.breakdown("overall").groups().get(0);
        assertThat(overall.installs()).isEqualTo(3);
        assertThat(item(overall, Item.event("command_run"))).extracting("installsUsing", "total").containsExactly(3L, 107L);
        assertThat(item(overall, Item.fieldValue("command_run", "command", "convert")))
                .extracting("installsUsing", "total").containsExactly(2L, 104L);
        assertThat(item(overall, Item.fieldValue("command_run", "command", "hash"))).extracting("installsUsing").isEqualTo(1L);
        assertThat(item(overall, Item.fieldValue("command_run", "success", "false"))).extracting("installsUsing").isEqualTo(1L);
        assertThat(item(overall, Item.cell("command_run", Map.of("command", "convert", "success", "true", "duration", "1s-5s"))))
                .extracting("installsUsing", "total").containsExactly(2L, 104L);

        // An error type is open; "other" is fixed and listed though unused.
        PeriodRollup.ItemRollup io = item(overall, Item.fieldValue("error", "type", "java.io.IOException"));
        assertThat(io.open()).isTrue();
        assertThat(io.installsUsing()).isEqualTo(1);
        assertThat(item(overall, Item.fieldValue("error", "type", "other")))
                .extracting("open", "installsUsing").containsExactly(false, 0L);

        // A noised event: presence not estimated, only totals (noisy counts summed as sent).
        PeriodRollup.ItemRollup small = item(overall, Item.fieldValue("input_size", "size", "<1KB"));
        assertThat(small).extracting("noised", "installsUsing", "total").containsExactly(true, 0L, 3L);
        assertThat(item(overall, Item.fieldValue("input_size", "size", "1KB-1MB")).total()).isEqualTo(-1);

        // Fixed dimensions list every value; open ones only what was sent.
        assertThat(rollup.breakdown("os").groups()).extracting(g -> g.key().get("os"), PeriodRollup.GroupRollup::installs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("linux", 2L), org.assertj.core.groups.Tuple.tuple("macos", 1L),
                        org.assertj.core.groups.Tuple.tuple("windows", 0L), org.assertj.core.groups.Tuple.tuple("other", 0L));
        assertThat(rollup.breakdown("app_version").groups()).extracting(g -> g.key().get("app_version"), PeriodRollup.GroupRollup::keyOpen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.9", true), org.assertj.core.groups.Tuple.tuple("2.0", true));
        assertThat(rollup.breakdown("ci").groups()).hasSize(2);
    }

    @Test
    void rerunningChangesNothingAndNewReportsAreCountedOnTheNextRun() {
        store.storeAll(List.of(Reports.on(DAY).run("convert", true, "1s-5s", 1).build()));
        assertThat(job.run().rolledUp()).containsExactly("acme 2026-11-24");
        String before = rollups.load("acme", "2026-11-24").orElseThrow().toJson("overall").toString();

        assertThat(job.run().rolledUp()).isEmpty();
        assertThat(rollups.load("acme", "2026-11-24").orElseThrow().toJson("overall").toString()).isEqualTo(before);

        store.storeAll(List.of(Reports.on(DAY).run("hash", true, "1s-5s", 1).build(),
                Reports.on(DAY.plusDays(1)).run("hash", true, "1s-5s", 1).build()));
        assertThat(job.run().rolledUp()).containsExactly("acme 2026-11-24", "acme 2026-11-25");
        assertThat(rollups.load("acme", "2026-11-24").orElseThrow().reports()).isEqualTo(2);
    }

    @Test
    void aReportMarksAtMostMItemsInWhatReleasesCount() {
        Reports heavy = Reports.on(DAY);
        for (String command : List.of("convert", "count", "hash")) {
            for (boolean success : List.of(true, false)) {
                for (String duration : List.of("<100ms", "100ms-1s", "1s-5s", "5s-30s", ">30s")) {
                    heavy.run(command, success, duration, 1);
                }
            }
        }
        store.storeAll(List.of(heavy.build()));
        job.rollUp();
        PeriodRollup.GroupRollup overall = rollups.load("acme", "2026-11-24").orElseThrow().breakdown("overall").groups().get(0);
        long used = overall.items().stream().mapToLong(PeriodRollup.ItemRollup::installsUsing).sum();
        long kept = overall.items().stream().mapToLong(PeriodRollup.ItemRollup::installsBounded).sum();
        assertThat(used).isEqualTo(1 + 3 + 2 + 5 + 30);
        assertThat(kept).isEqualTo(32);
        assertThat(overall.items()).allSatisfy(i -> assertThat(i.installsBounded()).isLessThanOrEqualTo(i.installsUsing()));
    }

    @Test
    void retentionDeletesOldRawReportsAndKeepsTheirRollups() {
        LocalDate old = LocalDate.of(2026, 8, 20); // more than 90 days before NOW
        store.storeAll(List.of(Reports.on(old).run("convert", true, "1s-5s", 1).build(),
                Reports.on(old).run("hash", true, "1s-5s", 1).build(),
                Reports.on(DAY).run("hash", true, "1s-5s", 1).build()));

        Retention retention = new Retention(store, NOW);
        assertThat(retention.due()).containsExactly(new Retention.Expiry("acme", old, 2));
        assertThat(store.periods("acme")).hasSize(2); // the dry run deleted nothing

        RollupJob.Outcome outcome = job.run();
        assertThat(outcome.rolledUp()).containsExactly("acme 2026-08-20", "acme 2026-11-24");
        assertThat(outcome.deleted()).containsExactly(new Retention.Expiry("acme", old, 2));
        assertThat(store.periods("acme")).extracting(p -> p.period()).containsExactly(DAY);
        assertThat(rollups.load("acme", old.toString()).orElseThrow().reports()).isEqualTo(2);

        // A straggler for the expired period does not replace the rollup, and goes on the next run.
        store.storeAll(List.of(Reports.on(old).run("count", true, "1s-5s", 1).build()));
        assertThat(job.run().deleted()).containsExactly(new Retention.Expiry("acme", old, 1));
        assertThat(rollups.load("acme", old.toString()).orElseThrow().reports()).isEqualTo(2);
    }

    @Test
    void theMaintainersViewHasExactNumbersWithoutIntervals() throws Exception {
        store.storeAll(List.of(Reports.on(DAY).run("convert", true, "1s-5s", 3).inputSizes(1, 1, 1, 1).build()));
        job.rollUp();
        var json = rollups.load("acme", "2026-11-24").orElseThrow().toJson("overall");
        assertThat(json.get("by").asText()).isEqualTo("overall");
        var group = json.get("groups").get(0);
        assertThat(group.get("installs").toString()).isEqualTo("{\"estimate\":1}");
        List<String> convert = new ArrayList<>();
        group.get("items").forEach(i -> {
            if ("convert".equals(i.path("value").asText())) {
                convert.add(i.toString());
            }
        });
        assertThat(convert).containsExactly("{\"event\":\"command_run\",\"field\":\"command\",\"value\":\"convert\","
                + "\"installs_using\":{\"estimate\":1},\"share\":{\"estimate\":1.0},\"total\":{\"estimate\":3}}");
        assertThat(json.get("notes").get(0).asText()).startsWith("input_size is noised on each install")
                .as("DESIGN.md is not shipped; a release's words must stand alone").doesNotContain("DESIGN");
    }
}
