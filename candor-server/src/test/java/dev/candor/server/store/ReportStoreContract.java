package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.Reports;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import dev.candor.server.store.ReportStore.StoredCatalog;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReportStore} promises, tested the same way on each implementation: a subclass
 * only says how to make a fresh, empty location and how to open a store on it. SQLite and
 * PostgreSQL both run this whole class, including the rollups, retention and releases kept beside
 * the reports in the store's database.
 */
abstract class ReportStoreContract {
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    /** Two days after {@link #DAY} closed: its grace time is over, and it is within the 90 days of retention. */
    static final Clock AFTER_GRACE = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);

    /** A fresh, empty place for a store (a folder, a database URL). */
    abstract String newLocation() throws Exception;

    /** Opens a store on {@code location}; several may be open on the same location at once. */
    abstract ReportStore open(String location);

    String location;
    ReportStore store;
    private final List<ReportStore> opened = new ArrayList<>();

    @BeforeEach
    void openAFreshStore() throws Exception {
        location = newLocation();
        store = openHere();
    }

    /** Another store on this test's location: another node, or the same node after a restart. */
    ReportStore openHere() {
        ReportStore another = open(location);
        opened.add(another);
        return another;
    }

    @AfterEach
    void closeEveryStore() {
        opened.forEach(ReportStore::close);
    }

    static Report report(UUID id) {
        return StoredReports.report(id, "acme", DAY);
    }

    static List<Report> reports(List<UUID> ids) {
        return ids.stream().map(ReportStoreContract::report).toList();
    }

    static List<UUID> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
    }

    @Test
    void storesABatchAndCountsIdsAlreadyStoredAsDuplicates() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(store.storeAll(List.of(report(a)))).isEqualTo(new StoreOutcome(1, 0));
        assertThat(store.storeAll(List.of(report(a), report(b)))).isEqualTo(new StoreOutcome(1, 1));
        assertThat(store.storeAll(List.of(report(a), report(b)))).isEqualTo(new StoreOutcome(0, 2));
        assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 2));
        assertThat(store.periods("other")).isEmpty();
    }

    @Test
    void anIdRepeatedWithinOneBatchIsStoredOnce() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(store.storeAll(List.of(report(a), report(b), report(a), report(a))))
                .isEqualTo(new StoreOutcome(2, 2));
        assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 2));
    }

    @Test
    void anEmptyBatchStoresNothing() {
        assertThat(store.storeAll(List.of())).isEqualTo(new StoreOutcome(0, 0));
        assertThat(store.periods("acme")).isEmpty();
    }

    @Test
    void aLargeBatchIsStoredWhole() {
        List<UUID> ids = ids(1_234);
        assertThat(store.storeAll(reports(ids))).isEqualTo(new StoreOutcome(1_234, 0));
        assertThat(store.storeAll(reports(ids.subList(1_000, 1_234)))).isEqualTo(new StoreOutcome(0, 234));
        assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 1_234));
    }

    @Test
    void handsBackEachReportOfAPeriodExactlyAsItWasStored() {
        Report stored = report(UUID.randomUUID());
        store.storeAll(List.of(stored, StoredReports.report(UUID.randomUUID(), "acme", DAY.plusDays(1)),
                StoredReports.report(UUID.randomUUID(), "other", DAY)));
        List<Report> read = new ArrayList<>();
        store.forEachReport("acme", DAY, read::add);
        assertThat(read).containsExactly(stored);
        Report back = read.get(0);
        assertThat(back.json()).isEqualTo(stored.json());
        assertThat(back.noisedEvents()).isEqualTo(Map.of("input_size", 1.0));
        assertThat(back.cells()).hasSize(3);
        assertThat(back.cells().get(0).fields()).containsExactly(Map.entry("command", "convert"),
                Map.entry("success", "true"), Map.entry("duration", "1s-5s"));
        assertThat(back.cells().get(1).n()).isEqualTo(-2);
    }

    @Test
    void forEachReportVisitsEveryReportOfALargePeriodOnce() {
        List<UUID> ids = ids(1_200);
        store.storeAll(reports(ids));
        Set<UUID> seen = new HashSet<>();
        store.forEachReport("acme", DAY, r -> assertThat(seen.add(r.reportId())).isTrue());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        store.forEachReport("acme", DAY.plusDays(1), r -> {
            throw new AssertionError("no report was stored for the next day");
        });
    }

    @Test
    void listsPeriodsOldestFirstWithExactCounts() {
        store.storeAll(List.of(
                StoredReports.report(UUID.randomUUID(), "acme", DAY),
                StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(3)),
                StoredReports.report(UUID.randomUUID(), "acme", DAY),
                StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(40)),
                StoredReports.report(UUID.randomUUID(), "beta", DAY)));
        assertThat(store.periods("acme")).containsExactly(
                new PeriodCount(DAY.minusDays(40), 1), new PeriodCount(DAY.minusDays(3), 1), new PeriodCount(DAY, 2));
        assertThat(store.periods("beta")).containsExactly(new PeriodCount(DAY, 1));
    }

    @Test
    void keepsEverythingAcrossAReopen() {
        UUID id = UUID.randomUUID();
        store.storeAll(List.of(report(id)));
        store.saveCatalog("acme", "11".repeat(32), "{}".getBytes(StandardCharsets.UTF_8));
        store.close();
        ReportStore again = openHere();
        assertThat(again.periods("acme")).containsExactly(new PeriodCount(DAY, 1));
        assertThat(again.storeAll(List.of(report(id)))).isEqualTo(new StoreOutcome(0, 1));
        assertThat(again.catalogs()).extracting(StoredCatalog::sha256).containsExactly("11".repeat(32));
    }

    @Test
    void retentionDeletesOnlyTheAppsPeriodsBeforeTheFirstKeptOne() {
        store.storeAll(List.of(
                StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(2)),
                StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(2)),
                StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(1)),
                StoredReports.report(UUID.randomUUID(), "acme", DAY),
                StoredReports.report(UUID.randomUUID(), "other", DAY.minusDays(2))));
        assertThat(store.deleteReportsBefore("acme", DAY.minusDays(1))).isEqualTo(2);
        assertThat(store.periods("acme")).extracting(PeriodCount::period).containsExactly(DAY.minusDays(1), DAY);
        assertThat(store.periods("other")).containsExactly(new PeriodCount(DAY.minusDays(2), 1));
        assertThat(store.deleteReportsBefore("acme", DAY.minusDays(1))).isZero();
    }

    @Test
    void retentionDeletesAPeriodOfManyReportsWhole() {
        List<Report> old = new ArrayList<>();
        for (int i = 0; i < PostgresReportStore.ROWS_PER_DELETE + 7; i++) {
            old.add(StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(1 + i % 2)));
        }
        store.storeAll(old);
        store.storeAll(List.of(report(UUID.randomUUID())));
        assertThat(store.deleteReportsBefore("acme", DAY)).isEqualTo(PostgresReportStore.ROWS_PER_DELETE + 7);
        assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 1));
    }

    @Test
    void aReportDeletedByRetentionAndSentAgainIsStoredAgain() {
        UUID id = UUID.randomUUID();
        store.storeAll(List.of(report(id)));
        store.deleteReportsBefore("acme", DAY.plusDays(1));
        assertThat(store.storeAll(List.of(report(id)))).isEqualTo(new StoreOutcome(1, 0));
    }

    @Test
    void keepsEveryCatalogVersionAndTheLastSavedIsCurrent() {
        byte[] v1 = "{\"catalog\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "{\"catalog\":1 }".getBytes(StandardCharsets.UTF_8);
        store.saveCatalog("acme", "11".repeat(32), v1);
        store.saveCatalog("acme", "22".repeat(32), v2);
        store.saveCatalog("beta", "33".repeat(32), v1);
        assertThat(store.catalogs()).extracting(StoredCatalog::app, StoredCatalog::sha256, StoredCatalog::current)
                .containsExactly(
                        tuple("acme", "11".repeat(32), false),
                        tuple("acme", "22".repeat(32), true),
                        tuple("beta", "33".repeat(32), true));
        store.saveCatalog("acme", "11".repeat(32), v1);
        assertThat(store.catalogs()).filteredOn(StoredCatalog::current).extracting(StoredCatalog::sha256)
                .containsExactly("11".repeat(32), "33".repeat(32));
        assertThat(store.catalogs()).extracting(StoredCatalog::sha256)
                .containsExactly("22".repeat(32), "11".repeat(32), "33".repeat(32));
        assertThat(store.catalogs().get(1).body()).isEqualTo(v1);
    }

    @Test
    void findsOneCatalogVersionAndEachAppsCurrentOne() {
        byte[] v1 = "{\"catalog\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "{\"catalog\":1 }".getBytes(StandardCharsets.UTF_8);
        assertThat(store.currentCatalogs()).isEmpty();
        store.saveCatalog("acme", "11".repeat(32), v1);
        store.saveCatalog("acme", "22".repeat(32), v2);
        store.saveCatalog("beta", "33".repeat(32), v1);
        assertThat(store.catalog("acme", "11".repeat(32))).hasValueSatisfying(c -> {
            assertThat(c.body()).isEqualTo(v1);
            assertThat(c.current()).isFalse();
        });
        assertThat(store.catalog("acme", "22".repeat(32))).hasValueSatisfying(c -> assertThat(c.current()).isTrue());
        assertThat(store.catalog("acme", "33".repeat(32))).as("another app's version").isEmpty();
        assertThat(store.catalog("gamma", "11".repeat(32))).isEmpty();
        assertThat(store.currentCatalogs()).containsExactly(
                java.util.Map.entry("acme", "22".repeat(32)), java.util.Map.entry("beta", "33".repeat(32)));
        store.saveCatalog("acme", "11".repeat(32), v1);
        assertThat(store.currentCatalogs()).containsEntry("acme", "11".repeat(32));
    }

    @Test
    void concurrentBatchesFromManyThreadsStoreEachReportExactlyOnce() throws Exception {
        List<UUID> ids = ids(400);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 800; i += 4) {
                int from = i % 400;
                outcomes.add(threads.submit(() -> store.storeAll(reports(ids.subList(from, from + 4)))));
            }
            int accepted = 0;
            int duplicates = 0;
            for (Future<StoreOutcome> outcome : outcomes) {
                accepted += outcome.get().accepted();
                duplicates += outcome.get().duplicates();
            }
            assertThat(accepted).isEqualTo(400);
            assertThat(duplicates).isEqualTo(400);
            assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 400));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoStoresOnOneDatabaseTakingTheSameRetriesStoreEachReportOnce() throws Exception {
        ReportStore otherNode = openHere();
        List<UUID> ids = ids(300);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 300; i += 10) {
                    ReportStore node = (i / 10 + round) % 2 == 0 ? store : otherNode;
                    List<Report> batch = reports(ids.subList(i, i + 10));
                    outcomes.add(threads.submit(() -> {
                        start.await();
                        return node.storeAll(batch);
                    }));
                }
            }
            start.countDown();
            int accepted = 0;
            for (Future<StoreOutcome> outcome : outcomes) {
                accepted += outcome.get().accepted();
            }
            assertThat(accepted).isEqualTo(300);
            assertThat(otherNode.periods("acme")).containsExactly(new PeriodCount(DAY, 300));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aLeaseIsHeldByOneTakerAtATimeAndFreeOnceClosed() {
        Optional<WorkLeases.Lease> first = store.leases().tryAcquire("rollup/acme/2026-11-24");
        assertThat(first).isPresent();
        assertThat(first.get().isHeld()).isTrue();
        assertThat(store.leases().tryAcquire("rollup/acme/2026-11-24")).isEmpty();
        assertThat(store.leases().runExclusively("rollup/acme/2026-11-24", () -> {
            throw new AssertionError("ran while another holder had the lease");
        })).isFalse();
        assertThat(store.leases().runExclusively("rollup/acme/2026-11-25", () -> {})).isTrue();
        first.get().close();
        assertThat(first.get().isHeld()).isFalse();
        int[] ran = {0};
        assertThat(store.leases().runExclusively("rollup/acme/2026-11-24", () -> ran[0]++)).isTrue();
        assertThat(ran[0]).isEqualTo(1);
        assertThatThrownBy(() -> store.leases().tryAcquire(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollup/acme/2026-11-24");
    }

    @Test
    void aLeaseIsReleasedEvenWhenTheWorkFails() {
        assertThatThrownBy(() -> store.leases().runExclusively("release/acme", () -> {
            throw new IllegalStateException("work failed");
        })).hasMessage("work failed");
        assertThat(store.leases().runExclusively("release/acme", () -> {})).isTrue();
    }

    @Test
    void aClosedStoreRefusesBatchesAsUnavailable() {
        store.close();
        assertThatThrownBy(() -> store.storeAll(List.of(report(UUID.randomUUID()))))
                .isInstanceOf(StoreUnavailableException.class);
        store.close();
    }

    @Test
    void storesNothingAboutTheSenderOrTheArrivalTime() throws Exception {
        try (Connection connection = store.dataSource().getConnection();
                ResultSet columns = connection.getMetaData().getColumns(null, null, "reports", null)) {
            List<String> names = new ArrayList<>();
            while (columns.next()) {
                names.add(columns.getString("COLUMN_NAME"));
            }
            // SQLite numbers its rows (seq, the rowid every SQLite table had anyway): an order, not a time
            assertThat(names).filteredOn(name -> !name.equals("seq")).containsExactly("report_id", "app", "period", "body");
        }
    }

    @Test
    void rollupsRetentionAndReleasesAreEachMadeOnceFromTheStoredReports() {
        Reports.saveAcmeCatalog(store);
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            reports.add(Reports.on(DAY).os(i % 3 == 0 ? "windows" : "linux").run("convert", true, "1s-5s", 2).build());
        }
        LocalDate longAgo = DAY.minusDays(120);
        reports.add(Reports.on(longAgo).run("hash", false, "<100ms", 1).build());
        store.storeAll(reports);
        RollupStore rollups = new RollupStore(store.dataSource());
        RollupJob rollupJob = new RollupJob(store, rollups, AFTER_GRACE, new Random(1));

        RollupJob.Outcome first = rollupJob.run();
        assertThat(first.rolledUp()).containsExactlyInAnyOrder("acme " + longAgo, "acme " + DAY);
        assertThat(first.deleted()).extracting(e -> e.period()).containsExactly(longAgo);
        assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 300));
        assertThat(rollups.periods("acme")).containsEntry(DAY.toString(), 300L).containsEntry(longAgo.toString(), 1L);
        RollupJob.Outcome again = rollupJob.run();
        assertThat(again.rolledUp()).isEmpty();
        assertThat(again.deleted()).isEmpty();

        ReleaseLedger ledger = new ReleaseLedger(store.dataSource());
        Map<String, Catalog> catalogs = CurrentCatalogs.load(store);
        ReleaseJob releases = new ReleaseJob(rollups, ledger, ReleasePolicy.defaults(), AFTER_GRACE, new Random(2));
        List<ReleaseLedger.Entry> made = releases.releaseDue(catalogs);
        assertThat(made).hasSize(16);
        assertThat(releases.releaseDue(catalogs)).isEmpty();
        assertThat(ledger.entries("acme")).hasSize(16);
        assertThat(ledger.ledgerJson("acme").get("cumulative_epsilon").asDouble()).isEqualTo(8.0);
        assertThat(ledger.release("acme", DAY.toString(), "os")).isPresent();
    }

    @Test
    void twoNodesRunningTheJobsAtOnceMakeEachRollupAndReleaseOnce() throws Exception {
        Reports.saveAcmeCatalog(store);
        List<Report> reports = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            for (int i = 0; i < 40; i++) {
                reports.add(Reports.on(DAY.minusDays(d)).run("convert", true, "1s-5s", 1).build());
            }
        }
        store.storeAll(reports);
        List<ReportStore> nodes = List.of(store, openHere());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ReportStore node = nodes.get(i % 2);
                RollupStore rollups = new RollupStore(node.dataSource());
                RollupJob rollupJob = new RollupJob(node, rollups, AFTER_GRACE, new Random(i));
                ReleaseJob releaseJob = new ReleaseJob(rollups, new ReleaseLedger(node.dataSource()),
                        ReleasePolicy.defaults(), AFTER_GRACE, new Random(i));
                runs.add(threads.submit(() -> {
                    start.await();
                    for (int round = 0; round < 3; round++) {
                        node.leases().runExclusively("rollup/acme", rollupJob::run);
                        node.leases().runExclusively("release/acme", () -> releaseJob.releaseDue(CurrentCatalogs.load(node)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        RollupStore rollups = new RollupStore(store.dataSource());
        ReleaseLedger ledger = new ReleaseLedger(store.dataSource());
        assertThat(rollups.periods("acme")).containsOnlyKeys(DAY.minusDays(2).toString(), DAY.minusDays(1).toString(),
                DAY.toString()).allSatisfy((period, counted) -> assertThat(counted).isEqualTo(40L));
        new ReleaseJob(rollups, ledger, ReleasePolicy.defaults(), AFTER_GRACE).releaseDue(CurrentCatalogs.load(store));
        List<ReleaseLedger.Entry> entries = ledger.entries("acme");
        assertThat(entries).hasSize(3 * 8);
        assertThat(entries).extracting(e -> e.period() + " " + e.breakdown()).doesNotHaveDuplicates();
        double cumulative = 0;
        for (ReleaseLedger.Entry entry : entries) {
            cumulative += entry.epsilon();
            assertThat(entry.cumulativeEpsilon()).as("ledger entry %s", entry.seq()).isCloseTo(cumulative, org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
