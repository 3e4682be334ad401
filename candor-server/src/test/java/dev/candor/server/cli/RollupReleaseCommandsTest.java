package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.rollup.Reports;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code candor rollup|retention|release} on a real data folder, as an operator runs them. */
class RollupReleaseCommandsTest {

    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    static final LocalDate YESTERDAY = TODAY.minusDays(1);
    static final LocalDate LONG_AGO = TODAY.minusDays(120);

    @TempDir Path data;

    record Run(int exit, String out, String err) {
    }

    private Run candor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CandorCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void store(LocalDate period, int reports) {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Reports.saveAcmeCatalog(store);
            List<Report> batch = new ArrayList<>();
            for (int i = 0; i < reports; i++) {
                batch.add(Reports.on(period).run("convert", true, "1s-5s", 1).build());
            }
            store.storeAll(batch);
        }
    }

    /**
     * stats --exact before the first rollup said "no unreleased period with exact numbers. Releases are made once
     * a period has closed...", about releases, which --exact does not read, and not what would show the numbers.
     */
    @Test
    void exactStatsBeforeARollupSayWhatRollsUp() {
        store(YESTERDAY, 30);
        Run before = candor("stats", "acme", "--data", data.toString(), "--exact");
        assertThat(before.exit()).isEqualTo(1);
        assertThat(before.err()).isEqualTo("candor stats: acme has no rolled-up period that is not released yet. The "
                + "collector rolls up new reports every --jobs-every (default 10m); `candor rollup` does it now.\n");
        Run period = candor("stats", "acme", "--data", data.toString(), "--exact", "--period", YESTERDAY.toString());
        assertThat(period.exit()).isEqualTo(1);
        assertThat(period.err()).isEqualTo("candor stats: no exact rollup of acme for period " + YESTERDAY
                + " (reports that arrived since the last rollup are counted by `candor rollup`)\n");
        assertThat(candor("rollup", "--data", data.toString()).exit()).isZero();
        Run after = candor("stats", "acme", "--data", data.toString(), "--exact");
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.out()).contains("EXACT rollup").contains("Installs  30");
    }

    @Test
    void retentionSaysWhatWouldGoThenDeletesOnlyRawReports() {
        store(LONG_AGO, 3);
        store(YESTERDAY, 2);
        assertThat(candor("release", "--data", data.toString(), "--period", LONG_AGO.toString()).exit()).isZero();

        Run dry = candor("retention", "--data", data.toString(), "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("would delete acme " + LONG_AGO + ": 3 raw reports");

        Run real = candor("retention", "--data", data.toString());
        assertThat(real.out()).contains("deleted acme " + LONG_AGO + ": 3 raw reports");
        assertThat(candor("retention", "--data", data.toString()).out()).contains("nothing is past retention");

        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            assertThat(store.periods("acme")).extracting(p -> p.period()).containsExactly(YESTERDAY);
            assertThat(new RollupStore(store.dataSource()).load("acme", LONG_AGO.toString()).orElseThrow().reports()).isEqualTo(3);
            assertThat(new ReleaseLedger(store.dataSource()).release("acme", LONG_AGO.toString(), "overall")).isPresent();
        }
    }

    @Test
    void releaseForcesAClosedPeriodOnceAndRefusesAnOpenOne() {
        store(YESTERDAY, 5);
        Run rollup = candor("rollup", "--data", data.toString());
        assertThat(rollup.out()).contains("rolled up acme " + YESTERDAY);
        assertThat(candor("rollup", "--data", data.toString()).out()).contains("rollups are up to date");

        assertThat(candor("release", "--data", data.toString()).out()).contains("no release is due");
        Run forced = candor("release", "--data", data.toString(), "--period", YESTERDAY.toString(), "--epsilon-for", "os=0.25");
        assertThat(forced.exit()).isZero();
        assertThat(forced.out()).contains("released acme " + YESTERDAY + " by overall: epsilon 0.5, cumulative epsilon 0.5")
                .contains("by os: epsilon 0.25, cumulative epsilon 1.25")
                .contains("by ci: epsilon 0.5, cumulative epsilon 3.75");
        assertThat(candor("release", "--data", data.toString(), "--period", YESTERDAY.toString()).out())
                .contains("was released before; its releases stay as they are");

        Run open = candor("release", "--data", data.toString(), "--period", TODAY.toString(), "--app", "acme");
        assertThat(open.exit()).isEqualTo(2);
        assertThat(open.err()).contains("period " + TODAY + " of acme is not closed yet");
    }

    @Test
    void appLimitsTheDueWorkTooNotOnlyAForcedPeriod() {
        LocalDate due = TODAY.minusDays(3); // closed, and past the default grace of 2 days
        store(due, 4);
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            String zeta = new String(Reports.acmeCatalog(), StandardCharsets.UTF_8).replace("\"acme\"", "\"zeta\"");
            assertThat(zeta).contains("\"app\": \"zeta\"");
            store.saveCatalog("zeta", "ef".repeat(32), zeta.getBytes(StandardCharsets.UTF_8));
        }

        Run unknown = candor("release", "--data", data.toString(), "--app", "nosuch");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--app: no catalog for \"nosuch\" here");
        assertThat(candor("rollup", "--data", data.toString(), "--app", "nosuch").err()).contains("--app: no catalog for \"nosuch\"");

        assertThat(candor("rollup", "--data", data.toString(), "--app", "zeta").out()).contains("rollups are up to date");
        assertThat(candor("release", "--data", data.toString(), "--app", "zeta").out()).contains("no release is due");
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            assertThat(new RollupStore(store.dataSource()).periods("acme")).isEmpty();
            assertThat(new ReleaseLedger(store.dataSource()).entries("acme")).isEmpty();
        }

        Run acme = candor("release", "--data", data.toString(), "--app", "acme");
        assertThat(acme.exit()).isZero();
        assertThat(acme.out()).contains("released acme " + due + " by overall");
    }

    @Test
    void mistakesAreNamedWithWhatToDo() {
        assertThat(candor("release", "--data", data.toString()).err()).contains("no collector data in").contains("candor serve --data");
        store(YESTERDAY, 1);
        assertThat(candor("release", "--data", data.toString(), "--period", "24/11").err()).contains("--period: \"24/11\" is not a period");
        assertThat(candor("release", "--data", data.toString(), "--epsilon-for", "city=1").err()).contains("--epsilon-for: unknown breakdown \"city\"");
        assertThat(candor("release", "--data", data.toString(), "--epsilon", "-1").err()).contains("epsilon must be a positive finite number");
        assertThat(candor("rollup", "--data", data.toString(), "--period", YESTERDAY.toString(), "--app", "zeta").err())
                .contains("--app: no catalog for \"zeta\" here; known apps: acme");
    }

    @Test
    void releasingAPeriodWithoutReportsSaysSoAndNothingElse() {
        store(YESTERDAY, 1);
        LocalDate empty = TODAY.minusDays(3);
        Run r = candor("release", "--data", data.toString(), "--period", empty.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("skipped acme: no report of acme for period " + empty).doesNotContain("released before");
        assertThat(r.err()).contains("candor release: nothing released: no app has reports for period " + empty);
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            assertThat(new ReleaseLedger(store.dataSource()).entries("acme")).isEmpty();
        }
    }
}
