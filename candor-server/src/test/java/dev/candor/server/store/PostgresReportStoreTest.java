package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import dev.candor.server.testing.TestPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store has to get right: refusals, lost connections, bad URLs. */
class PostgresReportStoreTest {
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @Test
    void aBatchTheDatabaseRefusesHalfwayLeavesNothingAndTheStoreGoesOn() {
        try (PostgresReportStore store = PostgresReportStore.open(TestPostgres.newDatabase(), null, null)) {
            List<Report> batch = List.of(
                    StoredReports.report(UUID.randomUUID(), "acme", DAY),
                    StoredReports.report(UUID.randomUUID(), "acme", DAY),
                    StoredReports.report(UUID.randomUUID(), "a".repeat(65), DAY));
            assertThatThrownBy(() -> store.storeAll(batch)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("could not commit the reports");
            assertThat(store.periods("acme")).isEmpty();
            assertThat(store.storeAll(batch.subList(0, 2))).isEqualTo(new StoreOutcome(2, 0));
        }
    }

    @Test
    void connectionsCutByTheServerAreReplacedAndNoBatchIsHalfStored() throws Exception {
        String url = TestPostgres.newDatabase();
        try (PostgresReportStore store = PostgresReportStore.open(url, null, null)) {
            store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY)));
            try (Connection admin = DriverManager.getConnection(url);
                    Statement cut = admin.createStatement()) {
                cut.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = 'candor' AND pid <> pg_backend_pid()");
            }
            int stored = 1;
            int successes = 0;
            int failures = 0;
            while (successes < 2) {
                try {
                    stored += store.storeAll(List.of(StoredReports.report(UUID.randomUUID(), "acme", DAY),
                            StoredReports.report(UUID.randomUUID(), "acme", DAY))).accepted();
                    successes++;
                } catch (StoreUnavailableException e) {
                    // a batch on a cut connection fails whole (503, the install sends it again)
                    failures++;
                    assertThat(failures).as("the pool replaces the cut connections").isLessThan(10);
                }
            }
            assertThat(stored).isEqualTo(5);
            assertThat(store.periods("acme")).containsExactly(new PeriodCount(DAY, stored));
        }
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedWithWhatToPass() {
        assertThatThrownBy(() -> PostgresReportStore.open("jdbc:mysql://127.0.0.1/candor?password=secret", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:5432/candor")
                .hasMessageContaining("CANDOR_DB_USER")
                .hasMessageNotContaining("secret");
    }

    @Test
    void anUnreachableDatabaseFailsFastNamingItWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/candor?user=candor&password=secret";
        assertThatThrownBy(() -> PostgresReportStore.open(url, null, null, Duration.ofMillis(500), Duration.ofMinutes(1), n -> {}))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort + "/candor")
                .hasMessageNotContaining("secret");
    }
}
