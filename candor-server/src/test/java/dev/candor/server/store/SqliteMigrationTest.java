package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import dev.candor.server.store.ReportStore.StoredCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A SQLite database that an earlier collector created and filled (schema V10: 36-character ids as the primary
 * key, the context in columns of its own) keeps every report through the upgrade to the appended layout of
 * V11, in its original order, and an id stored before the upgrade is still a duplicate after it.
 */
class SqliteMigrationTest {
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir Path data;

    @Test
    void reportsStoredUnderTheOldLayoutAreKeptInOrderAndStillDeduplicated() throws Exception {
        SQLiteDataSource old = new SQLiteDataSource();
        old.setUrl("jdbc:sqlite:" + data.resolve(SqliteReportStore.DATABASE_FILE));
        Flyway.configure().dataSource(old).locations("classpath:db/migration/common", "classpath:db/migration/sqlite")
                .target("10").load().migrate();
        List<Report> acmeDay = new ArrayList<>();
        List<Report> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Report report = StoredReports.report(UUID.randomUUID(), i % 5 == 0 ? "other" : "acme",
                    i % 3 == 0 ? DAY.plusDays(1) : DAY);
            written.add(report);
            if (report.app().equals("acme") && report.period().equals(DAY)) {
                acmeDay.add(report);
            }
        }
        try (Connection connection = old.getConnection()) {
            try (PreparedStatement catalog = connection.prepareStatement(
                    "INSERT INTO catalog_versions (app, sha256, body, installed_seq) VALUES ('acme', ?, ?, 1)")) {
                catalog.setString(1, "11".repeat(32));
                catalog.setBytes(2, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
                catalog.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO reports (report_id, app, period, "
                    + "app_version, catalog_sha256, os, arch, runtime, memory_tier, install_method, ci, body) "
                    + "VALUES (?, ?, ?, '2.0', ?, 'linux', 'x64', 'java_17', 'high', 'maven', 0, ?)")) {
                for (Report report : written) {
                    insert.setString(1, report.reportId().toString());
                    insert.setString(2, report.app());
                    insert.setString(3, report.period().toString());
                    insert.setString(4, "ab".repeat(32));
                    insert.setString(5, report.json());
                    insert.executeUpdate();
                }
            }
        }

        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            List<Report> read = new ArrayList<>();
            store.forEachReport("acme", DAY, read::add);
            assertThat(read).containsExactlyInAnyOrderElementsOf(acmeDay);
            assertThat(store.periods("acme")).containsExactly(
                    new PeriodCount(DAY, acmeDay.size()), new PeriodCount(DAY.plusDays(1), 40 - acmeDay.size()));
            assertThat(store.periods("other")).containsExactly(new PeriodCount(DAY, 6), new PeriodCount(DAY.plusDays(1), 4));
            assertThat(store.catalogs()).extracting(StoredCatalog::sha256).containsExactly("11".repeat(32));

            try (Connection connection = store.dataSource().getConnection();
                    ResultSet rows = connection.createStatement().executeQuery(
                            "SELECT seq, report_id, hex(report_id) FROM reports ORDER BY seq")) {
                List<UUID> inOrder = new ArrayList<>();
                while (rows.next()) {
                    UUID id = ReportIds.uuid(rows.getBytes(2));
                    assertThat(rows.getString(3)).isEqualTo(id.toString().replace("-", "").toUpperCase());
                    inOrder.add(id);
                }
                assertThat(inOrder).containsExactlyElementsOf(written.stream().map(Report::reportId).toList());
            }

            assertThat(store.storeAll(written.subList(0, 20))).isEqualTo(new StoreOutcome(0, 20));
            Report fresh = StoredReports.report(UUID.randomUUID(), "acme", DAY);
            assertThat(store.storeAll(List.of(written.get(20), fresh, fresh))).isEqualTo(new StoreOutcome(1, 2));
            assertThat(store.periods("acme").get(0)).isEqualTo(new PeriodCount(DAY, acmeDay.size() + 1));
        }
    }
}
