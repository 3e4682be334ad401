package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.store.Report;
import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A maintainer's collector, used the way installs and the maintainer use it: real HTTP, real SQLite. */
class CollectorEndToEndTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @TempDir Path data;

    @Test
    void acceptsAReportOnceAndAcknowledgesItsRepeatAsADuplicate() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            ObjectNode report = AcmeReports.valid();
            HttpResponse<String> first = collector.postJson("/v1/reports", AcmeReports.bytes(report));
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(MAPPER.readTree(first.body())).isEqualTo(MAPPER.readTree("{\"accepted\":1,\"duplicates\":0}"));

            HttpResponse<String> again = collector.postJson("/v1/reports", AcmeReports.bytes(report));
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(MAPPER.readTree(again.body())).isEqualTo(MAPPER.readTree("{\"accepted\":0,\"duplicates\":1}"));

            List<Report> stored = new ArrayList<>();
            collector.store().forEachReport("acme", TODAY, stored::add);
            assertThat(stored).singleElement().satisfies(r -> {
                assertThat(r.reportId()).hasToString(report.get("report_id").asText());
                assertThat(r.context().installMethod()).isEqualTo("maven");
                assertThat(r.cells()).hasSize(7);
                assertThat(MAPPER.readTree(r.json())).isEqualTo(report);
            });
        }
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            ObjectNode known = AcmeReports.valid();
            collector.postJson("/v1/reports", AcmeReports.bytes(known));

            ObjectNode broken = AcmeReports.valid();
            ((ObjectNode) broken.get("context")).put("os", "beos");
            HttpResponse<String> refused = collector.postJson("/v1/reports",
                    AcmeReports.bytes(AcmeReports.batch(AcmeReports.valid(), broken, AcmeReports.valid())));
            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode problem = MAPPER.readTree(refused.body());
            assertThat(problem.at("/errors/0/path").asText()).isEqualTo("$.reports[1].context.os");
            assertThat(collector.store().periods("acme")).containsExactly(new PeriodCount(TODAY, 1));

            HttpResponse<String> accepted = collector.postJson("/v1/reports",
                    AcmeReports.bytes(AcmeReports.batch(AcmeReports.valid(), known, AcmeReports.valid())));
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(MAPPER.readTree(accepted.body())).isEqualTo(MAPPER.readTree("{\"accepted\":2,\"duplicates\":1}"));
            assertThat(collector.store().periods("acme")).containsExactly(new PeriodCount(TODAY, 3));
        }
    }

    @Test
    void acceptsGzipBodies() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(AcmeReports.bytes(AcmeReports.batch(AcmeReports.valid(), AcmeReports.valid())));
            }
            HttpResponse<String> response = collector.post("/v1/reports", zipped.toByteArray(),
                    "Content-Type", "application/json; charset=utf-8", "Content-Encoding", "gzip");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(MAPPER.readTree(response.body()).get("accepted").asInt()).isEqualTo(2);
        }
    }

    @Test
    void theMaintainerSeesExactPeriodCountsWithTheAdminTokenOnly() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            ObjectNode yesterday = AcmeReports.valid();
            yesterday.put("period", TODAY.minusDays(1).toString());
            collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.batch(yesterday, AcmeReports.valid(),
                    AcmeReports.valid())));

            HttpResponse<String> periods = collector.get("/v1/apps/acme/periods",
                    "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN);
            assertThat(periods.statusCode()).isEqualTo(200);
            assertThat(MAPPER.readTree(periods.body())).isEqualTo(MAPPER.readTree("{\"app\":\"acme\",\"periods\":["
                    + "{\"period\":\"" + TODAY.minusDays(1) + "\",\"reports\":1},"
                    + "{\"period\":\"" + TODAY + "\",\"reports\":2}]}"));

            HttpResponse<String> anonymous = collector.get("/v1/apps/acme/periods");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(collector.get("/v1/apps/acme/periods", "Authorization", "Bearer wrong").statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void withoutAnAdminTokenTheAdminEndpointsAreOff() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 0, null, Duration.ofSeconds(5))) {
            HttpResponse<String> periods = collector.get("/v1/apps/acme/periods", "Authorization", "Bearer anything");
            assertThat(periods.statusCode()).isEqualTo(404);
            assertThat(MAPPER.readTree(periods.body()).get("detail").asText()).contains("--admin-token");
            assertThat(collector.put("/v1/apps/acme/catalog", AcmeReports.catalogBytes(),
                    "Content-Type", "application/json").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void servesTheCatalogPubliclyAndKeepsEveryVersionPutByTheMaintainer() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            HttpResponse<String> current = collector.get("/v1/apps/acme/catalog");
            assertThat(current.statusCode()).isEqualTo(200);
            assertThat(current.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(AcmeReports.catalogBytes());
            assertThat(current.headers().firstValue("ETag")).hasValue("\"" + AcmeReports.catalogSha256() + "\"");

            byte[] v2 = new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                    .replace("\"hash\"]", "\"hash\", \"split\"]").getBytes(StandardCharsets.UTF_8);
            String v2sha = AcmeReports.sha256(v2);
            HttpResponse<String> put = collector.put("/v1/apps/acme/catalog", v2,
                    "Content-Type", "application/json", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            assertThat(MAPPER.readTree(put.body()).get("sha256").asText()).isEqualTo(v2sha);
            assertThat(collector.get("/v1/apps/acme/catalog").body()).contains("split");
            assertThat(collector.get("/v1/apps/acme/catalog?sha256=" + AcmeReports.catalogSha256()).body())
                    .doesNotContain("split");

            ObjectNode old = AcmeReports.valid();
            ObjectNode fresh = AcmeReports.valid();
            fresh.put("catalog_sha256", v2sha);
            ((ObjectNode) fresh.get("counts").get("command_run").get(0)).put("command", "split");
            HttpResponse<String> both = collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.batch(old, fresh)));
            assertThat(both.statusCode()).as(both.body()).isEqualTo(202);

            ObjectNode wrong = AcmeReports.valid();
            ((ObjectNode) wrong.get("counts").get("command_run").get(0)).put("command", "split");
            HttpResponse<String> refused = collector.postJson("/v1/reports", AcmeReports.bytes(wrong));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("$.counts.command_run[0].command");

            HttpResponse<String> bad = collector.put("/v1/apps/acme/catalog", "{\"catalog\": 1}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN);
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(MAPPER.readTree(bad.body()).get("type").asText()).isEqualTo("urn:candor:problem:invalid-catalog");
            HttpResponse<String> otherApp = collector.put("/v1/apps/zeta/catalog", AcmeReports.catalogBytes(),
                    "Content-Type", "application/json", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN);
            assertThat(otherApp.statusCode()).isEqualTo(422);
            assertThat(otherApp.body()).contains("/v1/apps/zeta/catalog");
        }
        try (TestCollector restarted = TestCollector.start(data)) {
            // restarting with the original catalog on the command line makes it current again; v2 stays known
            assertThat(restarted.get("/v1/apps/acme/catalog").body()).doesNotContain("split");
            assertThat(restarted.store().catalogs()).hasSize(2);
        }
    }

    @Test
    void rateLimitsASenderWithRetryAfter() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 3, TestCollector.ADMIN_TOKEN, Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid())).statusCode())
                        .isEqualTo(202);
            }
            HttpResponse<String> limited = collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid()));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isBetween(1L, 20L));
            assertThat(MAPPER.readTree(limited.body()).get("type").asText()).isEqualTo("urn:candor:problem:rate-limited");
            assertThat(collector.get("/healthz").statusCode()).isEqualTo(200);
        }
    }

    /**
     * A stop (SIGTERM) while a request waits for its commit: the commit finishes and is answered, and the stop
     * ends promptly after it. It used to hang until its deadline when the stop came during the request, as Jetty
     * then gave the connection back its long idle timeout.
     */
    @Test
    void aStopDuringACommitAnswersItAndEndsPromptly() throws Exception {
        TestCollector collector = TestCollector.start(data, 0, TestCollector.ADMIN_TOKEN, Duration.ofSeconds(20));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + collector.store().databaseFile());
                Statement lock = other.createStatement()) {
            lock.execute("BEGIN EXCLUSIVE");
            Future<HttpResponse<String>> posted = pool.submit(
                    () -> collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid())));
            Thread.sleep(500); // the request is in, waiting for the lock
            Future<Long> stopped = pool.submit(() -> {
                long start = System.nanoTime();
                collector.close();
                return (System.nanoTime() - start) / 1_000_000;
            });
            Thread.sleep(500); // the stop has begun
            lock.execute("ROLLBACK");
            assertThat(posted.get(10, TimeUnit.SECONDS).statusCode()).as("the commit in flight is answered").isEqualTo(202);
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("ms to stop: well inside the 5 s deadline")
                    .isLessThan(4_000L);
        } finally {
            pool.shutdownNow();
        }
        try (Connection check = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("candor.db"));
                Statement count = check.createStatement();
                java.sql.ResultSet rows = count.executeQuery("SELECT count(*) FROM reports")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).as("the report answered 202 is stored").isEqualTo(1);
        }
    }

    /**
     * A catalog that could not be saved (the database locked) must not leave a broken connection behind: the
     * next reports are answered 202 and stored, not answered 503 after being stored (found by review).
     */
    @Test
    void aFailedCatalogSaveLeavesTheNextReportsAnsweredTruly() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 0, TestCollector.ADMIN_TOKEN, Duration.ofMillis(300))) {
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + collector.store().databaseFile());
                    Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");
                for (int i = 0; i < 3; i++) {
                    assertThat(collector.put("/v1/apps/acme/catalog", AcmeReports.catalogBytes(), "Content-Type",
                            "application/json", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN).statusCode())
                            .isEqualTo(503);
                }
                lock.execute("ROLLBACK");
            }
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> answer = collector.postJson("/v1/reports",
                        AcmeReports.bytes(AcmeReports.batch(AcmeReports.valid(), AcmeReports.valid(), AcmeReports.valid())));
                assertThat(answer.statusCode()).as("batch %d: %s", i, answer.body()).isEqualTo(202);
            }
        }
    }

    @Test
    void answers503WhenStorageCannotCommitAndRecoversIntact() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 0, TestCollector.ADMIN_TOKEN, Duration.ofMillis(300))) {
            ObjectNode report = AcmeReports.valid();
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + collector.store().databaseFile());
                    Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");
                HttpResponse<String> refused = collector.postJson("/v1/reports", AcmeReports.bytes(report));
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(MAPPER.readTree(refused.body()).get("detail").asText()).contains("nothing of this request was stored");
                lock.execute("ROLLBACK");
            }
            HttpResponse<String> retried = collector.postJson("/v1/reports", AcmeReports.bytes(report));
            assertThat(retried.statusCode()).isEqualTo(202);
            assertThat(MAPPER.readTree(retried.body()).get("accepted").asInt()).isEqualTo(1);
        }
    }

    /**
     * A failed commit is forgotten after 30 s without another, but a deleted database never comes back: /healthz
     * says 503 from the moment the file is gone, before any commit found it, and does not turn ok again.
     */
    @Test
    void healthSays503OnceTheDatabaseFileIsGoneWithoutWaitingForACommit() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            assertThat(collector.get("/healthz").statusCode()).isEqualTo(200);
            Files.delete(collector.store().databaseFile());
            HttpResponse<String> gone = collector.get("/healthz");
            assertThat(gone.statusCode()).isEqualTo(503);
            assertThat(gone.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(MAPPER.readTree(gone.body()).get("detail").asText()).isEqualTo("the collector's database file was "
                    + "deleted or replaced while it runs, so nothing can be stored until the collector is restarted with its "
                    + "data folder in place (see the collector's log)");
            assertThat(collector.get("/metrics").body()).as("the same, for Prometheus").contains("candor_storage_up 0.0");
        }
    }

    @Test
    void healthSays503FromAFailedCommitUntilOneSucceedsAndNeverTouchesTheDatabase() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 0, TestCollector.ADMIN_TOKEN, Duration.ofMillis(300))) {
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + collector.store().databaseFile());
                    Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");
                // the probe does no database work: with the database locked and no commit tried, it still says ok
                assertThat(collector.get("/healthz").statusCode()).isEqualTo(200);
                assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid())).statusCode())
                        .isEqualTo(503);
                HttpResponse<String> failing = collector.get("/healthz");
                assertThat(failing.statusCode()).isEqualTo(503);
                assertThat(failing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(failing.headers().firstValue("Retry-After")).isPresent();
                JsonNode problem = MAPPER.readTree(failing.body());
                assertThat(problem.get("type").asText()).isEqualTo("urn:candor:problem:storage-unavailable");
                assertThat(problem.get("detail").asText()).contains("commits have failed for", "30 s after the last failed one");
                assertThat(collector.get("/metrics").body()).as("the same, for Prometheus").contains("candor_storage_up 0.0");
                lock.execute("ROLLBACK");
            }
            assertThat(collector.get("/healthz").statusCode()).as("still failing until a commit succeeds").isEqualTo(503);
            assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
            HttpResponse<String> healthy = collector.get("/healthz");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(MAPPER.readTree(healthy.body())).isEqualTo(MAPPER.readTree("{\"status\":\"ok\"}"));
            assertThat(collector.get("/metrics").body()).contains("candor_storage_up 1.0");
        }
    }

    @Test
    void metricsCountWhatHappened() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            ObjectNode report = AcmeReports.valid();
            collector.postJson("/v1/reports", AcmeReports.bytes(report));
            collector.postJson("/v1/reports", AcmeReports.bytes(report));
            collector.postJson("/v1/reports", "{".getBytes(StandardCharsets.UTF_8));
            collector.post("/v1/reports", AcmeReports.bytes(report), "Content-Type", "text/plain");
            HttpResponse<String> metrics = collector.get("/metrics", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("candor_reports_accepted_total 1.0")
                    .contains("candor_reports_duplicate_total 1.0")
                    .contains("candor_reports_rejected_total{reason=\"malformed\"} 1.0")
                    .contains("candor_reports_rejected_total{reason=\"unsupported-media-type\"} 1.0")
                    .contains("candor_store_commit_seconds_count")
                    .contains("candor_http_requests_seconds_count{method=\"POST\",route=\"/v1/reports\",status=\"202\"} 2");
        }
    }

    @Test
    void anyoneScrapesHowTheCollectorIsDoingButOnlyTheAdminTokenReadsTheCounts() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid()));
            HttpResponse<String> open = collector.get("/metrics");
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertProcessOnly(open.body());
            HttpResponse<String> wrong = collector.get("/metrics", "Authorization", "Bearer guess");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(wrong.body()).doesNotContain("candor_reports");
            String all = collector.get("/metrics", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN).body();
            assertThat(all).contains("candor_reports_accepted_total 1.0", "candor_storage_up 1.0", "jvm_memory_used_bytes")
                    .doesNotContain(CollectorMetrics.COUNTS_NEED_TOKEN);
        }
        Path other = Files.createTempDirectory(data, "without-token");
        try (TestCollector collector = TestCollector.start(other, 0, null, Duration.ofSeconds(5))) {
            collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid()));
            HttpResponse<String> open = collector.get("/metrics");
            assertThat(open.statusCode()).isEqualTo(200);
            assertProcessOnly(open.body());
            HttpResponse<String> off = collector.get("/metrics", "Authorization", "Bearer anything");
            assertThat(off.statusCode()).isEqualTo(404);
            assertThat(MAPPER.readTree(off.body()).get("type").asText()).isEqualTo("urn:candor:problem:admin-disabled");
        }
    }

    /** The public part of /metrics: the process and the storage, and not one count of reports or requests. */
    private static void assertProcessOnly(String body) {
        assertThat(body).contains("jvm_memory_used_bytes", "process_uptime_seconds", "candor_storage_up 1.0",
                CollectorMetrics.COUNTS_NEED_TOKEN);
        assertThat(body).doesNotContain("candor_reports", "candor_http_requests", "candor_store_commit");
    }

    @Test
    void reportsOfAnyPeriodFromThreeWeeksAgoToTomorrowAreAccepted() throws Exception {
        try (TestCollector collector = TestCollector.start(data)) {
            for (LocalDate day : List.of(TODAY.minusDays(21), TODAY.plusDays(1))) {
                ObjectNode report = AcmeReports.valid();
                report.put("period", day.toString());
                assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(report)).statusCode()).isEqualTo(202);
            }
            for (LocalDate day : List.of(TODAY.minusDays(22), TODAY.plusDays(2))) {
                ObjectNode report = AcmeReports.valid();
                report.put("period", day.toString());
                HttpResponse<String> refused = collector.postJson("/v1/reports", AcmeReports.bytes(report));
                assertThat(refused.statusCode()).isEqualTo(422);
                assertThat(refused.body()).contains("$.period");
            }
            assertThat(collector.store().periods("acme")).hasSize(2);
            assertThat(UUID.randomUUID()).isNotNull();
        }
    }
}
