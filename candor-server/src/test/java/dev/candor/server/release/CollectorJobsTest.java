package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.rollup.Reports;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.SqliteReportStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorJobsTest {

    @TempDir Path data;

    @Test
    void theBackgroundJobRollsUpAndReleasesPeriodsPastTheirGraceTime() throws Exception {
        LocalDate threeDaysAgo = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Reports.saveAcmeCatalog(store);
            store.storeAll(List.of(Reports.on(threeDaysAgo).run("hash", true, "<100ms", 1).build(),
                    Reports.on(yesterday).run("hash", true, "<100ms", 1).build()));
            RollupStore rollups = new RollupStore(store.dataSource());
            ReleaseLedger ledger = new ReleaseLedger(store.dataSource());
            try (CollectorJobs jobs = CollectorJobs.start(store, new RollupJob(store, rollups, Clock.systemUTC()),
                    new ReleaseJob(rollups, ledger, ReleasePolicy.defaults(), Clock.systemUTC()), Duration.ofMillis(50))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (ledger.entries("acme").size() < 8 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertThat(ledger.entries("acme")).hasSize(8).allSatisfy(e -> assertThat(e.period()).isEqualTo(threeDaysAgo.toString()));
            assertThat(rollups.periods("acme")).containsOnlyKeys(threeDaysAgo.toString(), yesterday.toString());
        }
    }
}
