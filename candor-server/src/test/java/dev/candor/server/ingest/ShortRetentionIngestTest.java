package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A maintainer shortens retention under the 21 days reports may wait in outboxes: the collector
 * then refuses, with the reason, reports for periods whose raw reports retention has already
 * deleted, instead of acknowledging them and deleting them uncounted at the next retention run.
 */
class ShortRetentionIngestTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path data;

    @Test
    void aReportForAPeriodPastRetentionIsRefusedWithTheReason() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (TestCollector collector = TestCollector.start(data)) {
            byte[] oneDay = new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                    .replace("\"retention_days\": 90", "\"retention_days\": 1").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> put = collector.put("/v1/apps/acme/catalog", oneDay,
                    "Content-Type", "application/json", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            String sha = AcmeReports.sha256(oneDay);

            ObjectNode old = AcmeReports.valid(UUID.randomUUID(), sha);
            old.put("period", today.minusDays(3).toString());
            HttpResponse<String> refused = collector.postJson("/v1/reports", AcmeReports.bytes(old));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            JsonNode problem = MAPPER.readTree(refused.body());
            assertThat(problem.path("errors").get(0).path("path").asText()).isEqualTo("$.period");
            assertThat(problem.path("errors").get(0).path("detail").asText()).isEqualTo(today.minusDays(3)
                    + " is past retention: acme's catalog keeps raw reports 1 day (retention_days), so reports are "
                    + "accepted for periods from " + today.minusDays(1) + " on");

            ObjectNode yesterday = AcmeReports.valid(UUID.randomUUID(), sha);
            yesterday.put("period", today.minusDays(1).toString());
            HttpResponse<String> accepted = collector.postJson("/v1/reports", AcmeReports.bytes(yesterday));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(collector.store().periods("acme")).extracting(p -> p.period()).containsExactly(today.minusDays(1));
        }
    }
}
