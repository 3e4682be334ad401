package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import dev.candor.server.store.ReportStore.StoredCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteReportStoreTest {
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir Path data;

    @Test
    void storesABatchAndCountsRepeatedIdsAsDuplicates() {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            assertThat(store.storeAll(List.of(StoredReports.report(a, "acme", DAY))))
                    .isEqualTo(new StoreOutcome(1, 0));
            assertThat(store.storeAll(List.of(
                            StoredReports.report(a, "acme", DAY),
                            StoredReports.report(b, "acme", DAY),
                            StoredReports.report(b, "acme", DAY))))
                    .isEqualTo(new StoreOutcome(1, 2));
            assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 2));
            assertThat(store.periods("other")).isEmpty();
        }
    }

    @Test
    void handsBackEachReportOfAPeriodAsItWasStored() {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Report stored = StoredReports.report(UUID.randomUUID(), "acme", DAY);
            store.storeAll(List.of(stored, StoredReports.report(UUID.randomUUID(), "acme", DAY.plusDays(1))));
            List<Report> read = new ArrayList<>();
            store.forEachReport("acme", DAY, read::add);
            assertThat(read).containsExactly(stored);
            Report back = read.get(0);
            assertThat(back.noisedEvents()).isEqualTo(Map.of("input_size", 1.0));
            assertThat(back.cells()).hasSize(3);
            assertThat(back.cells().get(0).fields())
                    .containsExactly(Map.entry("command", "convert"), Map.entry("success", "true"),
                            Map.entry("duration", "1s-5s"));
            assertThat(back.cells().get(1).n()).isEqualTo(-2);
        }
    }

    @Test
    void keepsReportsAcrossReopeningAndDeletesOnlyOldPeriodsOfTheApp() {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            store.storeAll(List.of(
                    StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(2)),
                    StoredReports.report(UUID.randomUUID(), "acme", DAY.minusDays(1)),
                    StoredReports.report(UUID.randomUUID(), "acme", DAY),
                    StoredReports.report(UUID.randomUUID(), "other", DAY.minusDays(2))));
        }
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            assertThat(store.deleteReportsBefore("acme", DAY.minusDays(1))).isEqualTo(1);
            assertThat(store.periods("acme")).extracting(PeriodCount::period)
                    .containsExactly(DAY.minusDays(1), DAY);
            assertThat(store.periods("other")).containsExactly(new PeriodCount(DAY.minusDays(2), 1));
        }
    }

    @Test
    void keepsEveryCatalogVersionAndTheLastSavedIsCurrent() {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            byte[] v1 = "{\"catalog\":1}".getBytes(StandardCharsets.UTF_8);
            byte[] v2 = "{\"catalog\":1 }".getBytes(StandardCharsets.UTF_8);
            store.saveCatalog("acme", "11".repeat(32), v1);
            store.saveCatalog("acme", "22".repeat(32), v2);
            store.saveCatalog("beta", "33".repeat(32), v1);
            assertThat(store.catalogs()).extracting(StoredCatalog::sha256, StoredCatalog::current)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("11".repeat(32), false),
                            org.assertj.core.groups.Tuple.tuple("22".repeat(32), true),
                            org.assertj.core.groups.Tuple.tuple("33".repeat(32), true));
            store.saveCatalog("acme", "11".repeat(32), v1);
            assertThat(store.catalogs()).filteredOn(StoredCatalog::current).extracting(StoredCatalog::sha256)
                    .containsExactly("11".repeat(32), "33".repeat(32));
            assertThat(store.catalogs().get(1).body()).isEqualTo(v1);
        }
    }

    @Test
    void concurrentBatchesAreEachStoredExactlyOnce() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ids.add(UUID.randomUUID());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 800; i += 4) {
                int from = i % 400;
                outcomes.add(pool.submit(() -> store.storeAll(ids.subList(from, from + 4).stream()
                        .map(id -> StoredReports.report(id, "acme", DAY)).toList())));
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
            pool.shutdownNow();
        }
    }

    @Test
    void aLockedDatabaseFailsTheBatchWholeAndTheStoreRecovers() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data, Duration.ofMillis(200), n -> {})) {
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.databaseFile());
                    Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");
                assertThatThrownBy(() -> store.storeAll(List.of(
                                StoredReports.report(UUID.randomUUID(), "acme", DAY),
                                StoredReports.report(UUID.randomUUID(), "acme", DAY))))
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining("could not commit");
                lock.execute("ROLLBACK");
            }
            assertThat(store.periods("acme")).isEmpty();
            assertThat(store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))))
                    .isEqualTo(new StoreOutcome(1, 0));
            try (Connection check = store.dataSource().getConnection();
                    Statement statement = check.createStatement();
                    ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
    }

    @Test
    void storesNothingAboutTheSenderOrTheArrivalTime() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data);
                Connection connection = store.dataSource().getConnection();
                ResultSet columns = connection.getMetaData().getColumns(null, null, "reports", null)) {
            List<String> names = new ArrayList<>();
            while (columns.next()) {
                names.add(columns.getString("COLUMN_NAME"));
            }
            assertThat(names).containsExactly("seq", "report_id", "app", "period", "body");
        }
    }

    /**
     * A database file replaced under the open store (a backup restored over it, say): commits would go on into the
     * old file, which has no name any more, so each batch is refused as a storage failure instead of reported stored.
     */
    @Test
    void aDatabaseFileReplacedUnderTheStoreRefusesEveryBatch() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            assertThat(store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))).accepted()).isOne();
            Path file = data.resolve(SqliteReportStore.DATABASE_FILE);
            Path copy = data.resolve("restored.db");
            java.nio.file.Files.copy(file, copy);
            java.nio.file.Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))))
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessage(file.toAbsolutePath() + " was replaced by another file while the collector runs; "
                                + "nothing of this batch is kept")
                        .matches(e -> ((StoreUnavailableException) e).databaseGone());
            }
        }
    }

    /**
     * Not only reports: every write to a deleted or replaced database is refused the same way, whichever path it
     * takes (a catalog, retention, a transaction through the store's connections as rollups and releases write, a
     * statement in auto-commit mode as a sign-out is written), and nothing of it reaches either file. Reads still
     * answer from the file the store has open, and the store says what happened to its file.
     */
    @Test
    void aDatabaseFileReplacedUnderTheStoreRefusesEveryWrite() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY)));
            assertThat(store.databaseGone()).isEmpty();
            Path file = data.resolve(SqliteReportStore.DATABASE_FILE);
            Path copy = data.resolve("restored.db");
            java.nio.file.Files.copy(file, copy);
            java.nio.file.Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String gone = file.toAbsolutePath() + " was replaced by another file while the collector runs";
            assertThat(store.databaseGone()).hasValue(gone);

            java.util.function.Predicate<Throwable> databaseGone = e -> e instanceof StoreUnavailableException u && u.databaseGone();
            assertThatThrownBy(() -> store.saveCatalog("acme", "ab".repeat(32), "{}".getBytes(StandardCharsets.UTF_8)))
                    .matches(databaseGone).hasMessage(gone + "; nothing of it is written");
            assertThatThrownBy(() -> store.deleteReportsBefore("acme", DAY.plusDays(1))).matches(databaseGone);
            try (Connection c = store.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO rollups (app, period, reports, body) VALUES ('acme', '2026-11-24', 1, '{}')");
                }
                assertThatThrownBy(c::commit).matches(databaseGone);
                c.rollback();
                c.setAutoCommit(true);
            }
            assertThatThrownBy(() -> EndedSignIns.end(store.dataSource(), "sign-in", 7200, 0)).matches(databaseGone);

            assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, 1));
            assertThat(store.catalogs()).isEmpty();
            try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM rollups")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
            assertThat(EndedSignIns.isEnded(store.dataSource(), "sign-in")).isFalse();
        }
    }

    /**
     * Once the store knows its database file is gone, a batch is refused before the writer takes it: it is not
     * first committed into the nameless file (which would hold disk space until the restart for nothing).
     */
    @Test
    void aBatchAfterTheDatabaseWasDeletedIsNotWrittenAnywhere() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY)));
            java.nio.file.Files.delete(data.resolve(SqliteReportStore.DATABASE_FILE));
            java.util.function.Predicate<Throwable> databaseGone = e -> e instanceof StoreUnavailableException u && u.databaseGone();
            assertThatThrownBy(() -> store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))))
                    .matches(databaseGone); // the commit that finds it out

            Path wal = data.resolve(SqliteReportStore.DATABASE_FILE + "-wal");
            byte[] before = java.nio.file.Files.readAllBytes(wal);
            assertThatThrownBy(() -> store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))))
                    .matches(databaseGone).hasMessageEndingWith("; nothing of this batch is kept");
            assertThat(java.nio.file.Files.readAllBytes(wal)).as("the WAL the writer still holds open").isEqualTo(before);
        }
    }

    /**
     * Once the database exists, a connection the pool opens later does not create an empty one in its place when it
     * was deleted (an empty file at the path would look like a restored database and fail every query).
     */
    @Test
    void aNewConnectionAfterTheDatabaseWasDeletedCreatesNoFile() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data, Duration.ofMillis(200), nanos -> { })) {
            store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY)));
            Path file = data.resolve(SqliteReportStore.DATABASE_FILE);
            for (String suffix : List.of("", "-wal", "-shm")) {
                java.nio.file.Files.deleteIfExists(data.resolve(SqliteReportStore.DATABASE_FILE + suffix));
            }
            store.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
            try (Connection c = store.dataSource().getConnection()) {
                // a pool may still hand out a connection it held; a new one must not have made a file
            } catch (java.sql.SQLException expected) {
                // no connection to a file that is not there
            }
            assertThat(file).doesNotExist();
        }
    }

    /** The collector's store holds its folder: a second one in the same process is refused until the first closes. */
    @Test
    void aCollectorsStoreHoldsItsFolderUntilClosed() {
        SqliteReportStore first = SqliteReportStore.openForCollector(data, Duration.ofSeconds(5), nanos -> { });
        try {
            assertThatThrownBy(() -> SqliteReportStore.openForCollector(data, Duration.ofSeconds(5), nanos -> { }))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("another collector (process " + ProcessHandle.current().pid()
                            + ") is running on the data folder " + data.toAbsolutePath().normalize());
            // an offline command's store opens beside it, and the collector's lock survives that store's closing
            SqliteReportStore.open(data).close();
            assertThatThrownBy(() -> SqliteReportStore.openForCollector(data, Duration.ofSeconds(5), nanos -> { }))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(first.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))).accepted()).isOne();
        } finally {
            first.close();
        }
        SqliteReportStore.openForCollector(data, Duration.ofSeconds(5), nanos -> { }).close();
    }
}
