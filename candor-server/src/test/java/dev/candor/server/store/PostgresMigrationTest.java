package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import dev.candor.server.store.ReportStore.StoredCatalog;
import dev.candor.server.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL schema comes about the same way on an empty database and on one that a previous
 * version of the collector created and filled: data written under V1 is intact after migrating
 * to the latest version, and the store keeps working on it.
 */
class PostgresMigrationTest {
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @Test
    void anEmptyDatabaseIsMigratedToTheLatestVersion() throws Exception {
        String url = TestPostgres.newDatabase();
        try (PostgresReportStore store = PostgresReportStore.open(url, null, null)) {
            assertThat(store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY))))
                    .isEqualTo(new StoreOutcome(1, 0));
        }
        assertThat(appliedVersions(url)).containsExactlyElementsOf(availableVersions(url));
        try (PostgresReportStore again = PostgresReportStore.open(url, null, null)) {
            assertThat(again.periods("acme")).containsExactly(new PeriodCount(DAY, 1));
        }
    }

    @Test
    void dataWrittenUnderTheFirstVersionIsIntactAfterMigratingToTheLatest() throws Exception {
        String url = TestPostgres.newDatabase();
        Flyway.configure().dataSource(url, null, null).locations(PostgresReportStore.MIGRATIONS).target("1")
                .load().migrate();
        UUID id = UUID.randomUUID();
        Report old = StoredReports.report(id, "acme", DAY);
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement catalog = connection.prepareStatement(
                    "INSERT INTO catalog_versions (app, sha256, body, installed_seq) VALUES (?, ?, ?, ?)")) {
                catalog.setString(1, "acme");
                catalog.setString(2, "11".repeat(32));
                catalog.setBytes(3, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
                catalog.setLong(4, 1);
                catalog.executeUpdate();
                catalog.setString(2, "22".repeat(32));
                catalog.setBytes(3, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
                catalog.setLong(4, 7);
                catalog.executeUpdate();
            }
            try (PreparedStatement report = connection.prepareStatement("INSERT INTO reports (report_id, app, period, "
                    + "app_version, catalog_sha256, os, arch, runtime, memory_tier, install_method, ci, body) "
                    + "VALUES (?, 'acme', ?, '2.0', ?, 'linux', 'x64', 'java_17', 'high', 'maven', 0, ?)")) {
                report.setString(1, id.toString());
                report.setString(2, DAY.toString());
                report.setString(3, "ab".repeat(32));
                report.setString(4, old.json());
                report.executeUpdate();
            }
        }
        assertThat(appliedVersions(url)).containsExactly("1");

        try (PostgresReportStore store = PostgresReportStore.open(url, null, null)) {
            assertThat(appliedVersions(url)).containsExactlyElementsOf(availableVersions(url));
            List<Report> read = new ArrayList<>();
            store.forEachReport("acme", DAY, read::add);
            assertThat(read).containsExactly(old);
            assertThat(store.storeAll(List.of(old))).isEqualTo(new StoreOutcome(0, 1));
            assertThat(store.catalogs()).extracting(StoredCatalog::sha256, StoredCatalog::current)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("11".repeat(32), false),
                            org.assertj.core.groups.Tuple.tuple("22".repeat(32), true));
            // a version installed after the upgrade is numbered after every version installed before it
            store.saveCatalog("acme", "11".repeat(32), "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(store.catalogs()).filteredOn(StoredCatalog::current).extracting(StoredCatalog::sha256)
                    .containsExactly("11".repeat(32));
            assertThat(store.leases().runExclusively("rollup/acme/" + DAY, () -> {})).isTrue();
        }
    }

    @Test
    void everyVersionOfTheSqliteSchemaExistsForPostgresToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        String url = TestPostgres.newDatabase();
        PostgresReportStore.open(url, null, null).close();
        List<String> sqlite = new ArrayList<>();
        try (SqliteReportStore store = SqliteReportStore.open(data);
                Connection connection = store.dataSource().getConnection();
                ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL")) {
            while (rs.next()) {
                sqlite.add(rs.getString(1));
            }
        }
        assertThat(sqlite).as("a migration added to db/migration/sqlite needs its PostgreSQL twin (or belongs in common)")
                .isNotEmpty().isSubsetOf(appliedVersions(url));
    }

    private static List<String> appliedVersions(String url) throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static List<String> availableVersions(String url) {
        List<String> versions = new ArrayList<>();
        for (var migration : Flyway.configure().dataSource(url, null, null)
                .locations(PostgresReportStore.MIGRATIONS).load().info().all()) {
            versions.add(migration.getVersion().getVersion());
        }
        return versions;
    }
}
