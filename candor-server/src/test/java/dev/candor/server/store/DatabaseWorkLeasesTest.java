package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases between several nodes on one PostgreSQL database: one holder at a time, expiry, takeover. */
class DatabaseWorkLeasesTest {
    private static String database;
    private final List<PostgresReportStore> nodes = new ArrayList<>();

    @BeforeEach
    void freshLeases() throws Exception {
        if (database == null) {
            database = TestPostgres.newDatabase();
        }
        node(Duration.ofSeconds(1));
        try (Connection connection = nodes.get(0).dataSource().getConnection();
                PreparedStatement clear = connection.prepareStatement("DELETE FROM work_leases")) {
            clear.executeUpdate();
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(PostgresReportStore::close);
    }

    private WorkLeases node(Duration ttl) {
        PostgresReportStore node = PostgresReportStore.open(database, null, null, Duration.ofSeconds(5), ttl, n -> {});
        nodes.add(node);
        return node.leases();
    }

    @Test
    void ofManyNodesRacingForOneUnitExactlyOneGetsIt() throws Exception {
        List<WorkLeases> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(node(Duration.ofMinutes(1)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Optional<WorkLeases.Lease>>> tries = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                WorkLeases leases = racing.get(i % racing.size());
                tries.add(threads.submit(() -> {
                    start.await();
                    return leases.tryAcquire("release/acme");
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Optional<WorkLeases.Lease>> attempt : tries) {
                winners += attempt.get().isPresent() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aLeaseLeftByAKilledNodeIsTakenOverOnceItExpires() throws Exception {
        WorkLeases survivor = node(Duration.ofMinutes(1));
        try (Connection connection = nodes.get(0).dataSource().getConnection();
                PreparedStatement killedNodesRow = connection.prepareStatement("INSERT INTO work_leases (unit, holder, expires_at) "
                        + "VALUES ('rollup/acme/2026-11-24', '00000000-0000-0000-0000-000000000000', "
                        + "CURRENT_TIMESTAMP + INTERVAL '700 milliseconds')")) {
            killedNodesRow.executeUpdate();
        }
        assertThat(survivor.tryAcquire("rollup/acme/2026-11-24")).isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Optional<WorkLeases.Lease> takenOver = Optional.empty();
        while (takenOver.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            takenOver = survivor.tryAcquire("rollup/acme/2026-11-24");
        }
        assertThat(takenOver).isPresent();
        assertThat(takenOver.get().isHeld()).isTrue();
    }

    @Test
    void aHolderThatKeepsRunningKeepsItsLeaseBeyondItsTimeToLive() throws Exception {
        WorkLeases holder = nodes.get(0).leases();
        WorkLeases other = node(Duration.ofSeconds(1));
        try (WorkLeases.Lease lease = holder.tryAcquire("retention/acme").orElseThrow()) {
            Thread.sleep(1_600);
            assertThat(lease.isHeld()).isTrue();
            assertThat(other.tryAcquire("retention/acme")).isEmpty();
        }
        assertThat(other.tryAcquire("retention/acme")).isPresent();
    }

    @Test
    void closingANodeReleasesItsLeasesAtOnce() {
        WorkLeases leaving = node(Duration.ofMinutes(1));
        WorkLeases staying = node(Duration.ofMinutes(1));
        assertThat(leaving.tryAcquire("release/acme")).isPresent();
        assertThat(staying.tryAcquire("release/acme")).isEmpty();
        nodes.get(1).close();
        assertThat(staying.tryAcquire("release/acme")).isPresent();
    }
}
