package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.ServeProcess;
import dev.candor.server.testing.TestPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code candor serve --db …} processes on one PostgreSQL database behind a "load balancer"
 * that sends each request to any node, with the retries installs make: a batch that got no answer
 * is sent again to another node, and some batches that did get a 202 are sent again anyway (the
 * answer was lost on the way back). One node is killed with SIGKILL in the middle of the load.
 * Afterwards the database holds exactly the reports that were acknowledged, each once; and the
 * background jobs, running on every node every two seconds under one expiring lease, have rolled
 * up every stored report and made each release of the (closed) period exactly once.
 */
class SeveralNodesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCHES = 240;
    private static final int KILL_AFTER = 80;
    /** A closed period past the release grace time, so the nodes' jobs release it. */
    private static final String PERIOD = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(3).toString();

    @TempDir Path logs;
    private final List<ServeProcess> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<UUID> sent = ConcurrentHashMap.newKeySet();
    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicateAnswers = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();

    @AfterEach
    void stopEveryNode() throws InterruptedException {
        for (ServeProcess node : nodes) {
            node.close();
        }
    }

    @Test
    void everyAcknowledgedReportIsStoredOnceWhicheverNodesGotItAndItsRetries() throws Exception {
        String database = TestPostgres.newDatabase();
        List<Future<ServeProcess>> starting = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(3);
        for (int i = 1; i <= 3; i++) {
            String name = "node" + i;
            starting.add(starter.submit(() -> ServeProcess.start(logs.resolve(name), logs.resolve(name),
                    "--db", database, "--rate-limit", "0", "--jobs-every", "2s", "--lease-ttl", "5s")));
        }
        for (Future<ServeProcess> node : starting) {
            nodes.add(node.get());
        }
        starter.shutdown();

        ExecutorService installs = Executors.newFixedThreadPool(6);
        CountDownLatch killPoint = new CountDownLatch(KILL_AFTER);
        List<Future<?>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            batches.add(installs.submit(() -> {
                sendUntilAcknowledged(batch(1 + ThreadLocalRandom.current().nextInt(10)));
                killPoint.countDown();
                return null;
            }));
        }
        assertThat(killPoint.await(5, TimeUnit.MINUTES)).isTrue();
        nodes.get(2).kill();
        for (Future<?> batch : batches) {
            batch.get(5, TimeUnit.MINUTES);
        }
        installs.shutdown();

        Set<UUID> stored = new HashSet<>();
        long rows;
        try (Connection connection = DriverManager.getConnection(database);
                ResultSet all = connection.createStatement().executeQuery("SELECT report_id FROM reports")) {
            rows = 0;
            while (all.next()) {
                rows++;
                stored.add(UUID.fromString(all.getString(1)));
            }
        }
        assertThat(acknowledged).hasSizeGreaterThan(BATCHES);
        assertThat(duplicateAnswers.get()).as("batches sent again after a 202 were answered as duplicates").isPositive();
        assertThat(failedAttempts.get()).as("requests the killed node did not answer, taken by the others").isPositive();
        assertThat(rows).isEqualTo(stored.size());
        assertThat(stored).isEqualTo(acknowledged);
        assertThat(sent).containsAll(stored);

        try (Connection connection = DriverManager.getConnection(database)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (rolledUp(connection) != stored.size() || releases(connection).size() < 8) {
                assertThat(System.nanoTime()).as("the surviving nodes' jobs finish the rollup and the releases").isLessThan(deadline);
                Thread.sleep(250);
            }
            List<String[]> ledger = releases(connection);
            assertThat(ledger).extracting(r -> r[1]).containsExactlyInAnyOrder(
                    "overall", "app_version", "os", "arch", "runtime", "memory_tier", "install_method", "ci");
            double cumulative = 0;
            for (int i = 0; i < ledger.size(); i++) {
                assertThat(Long.parseLong(ledger.get(i)[0])).as("ledger order").isEqualTo(i + 1);
                cumulative += Double.parseDouble(ledger.get(i)[2]);
                assertThat(Double.parseDouble(ledger.get(i)[3])).isCloseTo(cumulative, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        String everyLog = "";
        for (ServeProcess node : nodes) {
            everyLog += node.output();
        }
        // The ledger above proves each release was made once; the logs may miss the line of a release
        // made by the node that was killed, so they can only show that no release was made twice.
        for (String breakdown : List.of("overall", "os", "ci")) {
            assertThat(everyLog.split("released acme " + PERIOD + " by " + breakdown + " ", -1).length - 1)
                    .as("the release by " + breakdown + " is never made twice").isLessThanOrEqualTo(1);
        }
        for (ServeProcess survivor : nodes.subList(0, 2)) {
            // 143 is the JVM's status after a SIGTERM whose shutdown hook finished normally
            assertThat(survivor.terminate(Duration.ofSeconds(30))).as("a surviving node stops on SIGTERM").isIn(0, 143);
            assertThat(survivor.output()).contains("Candor collector stopped");
        }
    }

    private List<ObjectNode> batch(int size) {
        List<ObjectNode> reports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            reports.add(AcmeReports.valid().put("period", PERIOD));
        }
        return reports;
    }

    /** How many raw reports the period's rollup counted (0 before there is one). */
    private static long rolledUp(Connection connection) throws java.sql.SQLException {
        try (java.sql.PreparedStatement query = connection.prepareStatement(
                "SELECT reports FROM rollups WHERE app = 'acme' AND period = ?")) {
            query.setString(1, PERIOD);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The period's ledger rows in order: seq, breakdown, epsilon, cumulative epsilon. */
    private static List<String[]> releases(Connection connection) throws java.sql.SQLException {
        List<String[]> rows = new ArrayList<>();
        try (java.sql.PreparedStatement query = connection.prepareStatement("SELECT seq, breakdown, epsilon, "
                + "cumulative_epsilon FROM releases WHERE app = 'acme' AND period = ? ORDER BY seq")) {
            query.setString(1, PERIOD);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return rows;
    }

    /** Like an install's uploader: any node, and again on another node until one acknowledges. */
    private void sendUntilAcknowledged(List<ObjectNode> reports) throws Exception {
        List<UUID> ids = reports.stream().map(r -> UUID.fromString(r.get("report_id").asText())).toList();
        sent.addAll(ids);
        byte[] body = AcmeReports.bytes(AcmeReports.batch(reports.toArray(ObjectNode[]::new)));
        int node = ThreadLocalRandom.current().nextInt(nodes.size());
        for (int attempt = 0; attempt < 40; attempt++) {
            ServeProcess target = nodes.get((node + attempt) % nodes.size());
            JsonNode answer = post(target, body);
            if (answer != null) {
                acknowledged.addAll(ids);
                if (ThreadLocalRandom.current().nextInt(3) == 0) {
                    sendAgainElsewhere(body, ids.size(), (node + attempt + 1) % nodes.size());
                }
                return;
            }
            failedAttempts.incrementAndGet();
            Thread.sleep(50);
        }
        throw new AssertionError("no node acknowledged a batch in 40 attempts");
    }

    /** The 202 was lost on its way back: the install sends the batch again, maybe to another node. */
    private void sendAgainElsewhere(byte[] body, int size, int firstNode) throws Exception {
        for (int attempt = 0; attempt < nodes.size(); attempt++) {
            JsonNode answer = post(nodes.get((firstNode + attempt) % nodes.size()), body);
            if (answer != null) {
                assertThat(answer.get("accepted").asInt()).isZero();
                assertThat(answer.get("duplicates").asInt()).isEqualTo(size);
                duplicateAnswers.incrementAndGet();
                return;
            }
        }
    }

    /** The 202 body, or null when the node did not acknowledge (refused, killed, 503). */
    private JsonNode post(ServeProcess node, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/v1/reports")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                return JSON.readTree(response.body());
            }
            assertThat(response.statusCode()).as("only storage trouble may refuse a valid batch: " + response.body())
                    .isEqualTo(503);
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
