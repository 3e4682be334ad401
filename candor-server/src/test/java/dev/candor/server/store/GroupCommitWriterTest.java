package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.server.store.ReportStore.StoreOutcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer commits the batches waiting together in one transaction, yet a batch that fails is
 * refused alone: the others of its group are stored, it leaves nothing behind, and its caller hears
 * of the failure.
 */
class GroupCommitWriterTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir Path data;

    @Test
    void aFailingBatchIsRefusedAloneAndTheRestOfItsGroupIsStored() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE written (report_id TEXT NOT NULL)");
            }
            CountDownLatch firstIsWriting = new CountDownLatch(1);
            CountDownLatch othersQueued = new CountDownLatch(1);
            List<Long> commits = new ArrayList<>();
            GroupCommitWriter.BatchWriter writer = (connection, batch) -> {
                if (batch.get(0).app().equals("first")) {
                    firstIsWriting.countDown();
                    await(othersQueued);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO written VALUES (?)")) {
                    for (Report report : batch) {
                        insert.setString(1, report.reportId().toString());
                        insert.executeUpdate();
                        if (report.app().equals("broken")) {
                            throw new SQLException("this batch cannot be written");
                        }
                    }
                }
                return new StoreOutcome(batch.size(), 0);
            };
            ExecutorService senders = Executors.newFixedThreadPool(6);
            try (GroupCommitWriter group = new GroupCommitWriter(store.dataSource(), writer, commits::add, 10_000)) {
                Future<StoreOutcome> first = senders.submit(() -> group.submit(batch("first", 2)));
                assertThat(firstIsWriting.await(10, TimeUnit.SECONDS)).isTrue();
                List<List<Report>> good = new ArrayList<>();
                List<Future<StoreOutcome>> goodOutcomes = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    List<Report> batch = batch("acme", 3);
                    good.add(batch);
                    goodOutcomes.add(senders.submit(() -> group.submit(batch)));
                }
                List<Report> broken = batch("broken", 2);
                Future<StoreOutcome> refused = senders.submit(() -> group.submit(broken));
                while (group.queued() < 5) { // the five batches wait behind the first, to be written as one group
                    Thread.sleep(5);
                }
                othersQueued.countDown();

                assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new StoreOutcome(2, 0));
                for (Future<StoreOutcome> outcome : goodOutcomes) {
                    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new StoreOutcome(3, 0));
                }
                assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining("this batch cannot be written");

                Set<String> expected = new HashSet<>();
                good.forEach(batch -> batch.forEach(r -> expected.add(r.reportId().toString())));
                assertThat(written(store)).containsAll(expected).hasSize(expected.size() + 2)
                        .doesNotContainAnyElementsOf(broken.stream().map(r -> r.reportId().toString()).toList());
            } finally {
                senders.shutdownNow();
            }
        }
    }

    private static List<Report> batch(String app, int size) {
        List<Report> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            batch.add(StoredReports.report(UUID.randomUUID(), app, DAY));
        }
        return batch;
    }

    private static Set<String> written(SqliteReportStore store) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT report_id FROM written")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other batches were never queued");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
