package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import dev.candor.server.testing.AcmeReports;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportValidatorTest {
    /** Wednesday 2026-11-25, noon UTC. */
    static final Clock WEDNESDAY = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @TempDir Path data;
    SqliteReportStore store;
    CatalogRegistry catalogs;
    String weeklySha;

    @BeforeEach
    void install() throws Exception {
        store = SqliteReportStore.open(data);
        catalogs = CatalogRegistry.load(store);
        byte[] weekly = new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                .replace("\"app\": \"acme\"", "\"app\": \"weekly\"")
                .replace("\"period\": \"day\"", "\"period\": \"week\"").getBytes(StandardCharsets.UTF_8);
        catalogs.install(AcmeReports.catalogBytes(), "acme");
        weeklySha = catalogs.install(weekly, "weekly").sha256();
    }

    @AfterEach
    void close() {
        store.close();
    }

    Optional<Report> validate(ObjectNode report, List<FieldError> errors) {
        return new ReportValidator(catalogs, WEDNESDAY).validate(report, "$", errors);
    }

    ObjectNode weekly(String period) {
        ObjectNode report = AcmeReports.valid(UUID.randomUUID(), weeklySha);
        report.put("app", "weekly");
        report.put("period", period);
        return report;
    }

    @Test
    void aWeeklyCatalogTakesMondaysFromThreeWeeksBackToThisWeek() {
        for (String monday : List.of("2026-11-02", "2026-11-09", "2026-11-23")) {
            List<FieldError> errors = new ArrayList<>();
            assertThat(validate(weekly(monday), errors)).as(monday + " " + errors).isPresent();
        }
        List<FieldError> errors = new ArrayList<>();
        assertThat(validate(weekly("2026-11-24"), errors)).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.period");
            assertThat(e.detail()).contains("Monday");
        });
        errors.clear();
        assertThat(validate(weekly("2026-10-26"), errors)).isEmpty();
        assertThat(errors.get(0).detail()).contains("too old");
        errors.clear();
        assertThat(validate(weekly("2026-11-30"), errors)).isEmpty();
        assertThat(errors.get(0).detail()).contains("future");
    }

    @Test
    void aShortRetentionNarrowsTheAcceptedPeriodsToThoseItStillKeeps() throws Exception {
        String shortSha = catalogs.install(new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                .replace("\"retention_days\": 90", "\"retention_days\": 1").getBytes(StandardCharsets.UTF_8), "acme").sha256();
        ObjectNode kept = AcmeReports.valid(UUID.randomUUID(), shortSha);
        kept.put("period", "2026-11-24");
        List<FieldError> errors = new ArrayList<>();
        assertThat(validate(kept, errors)).as(errors.toString()).isPresent();

        ObjectNode past = AcmeReports.valid(UUID.randomUUID(), shortSha);
        past.put("period", "2026-11-23");
        assertThat(validate(past, errors)).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.period");
            assertThat(e.detail()).isEqualTo("2026-11-23 is past retention: acme's catalog keeps raw reports 1 day "
                    + "(retention_days), so reports are accepted for periods from 2026-11-24 on");
        });
    }

    @Test
    void theNoiseBoundIsTheDiscreteLaplaceTailAtOneInABillion() {
        // P(|X| > h) = 2 q^(h+1) / (1 + q) with q = e^-ε; for ε = 1 the smallest h under 1e-9 is 21
        assertThat(ReportValidator.noiseBound(BigDecimal.ONE)).isEqualTo(21);
        assertThat(ReportValidator.noiseBound(new BigDecimal("0.1"))).isBetween(200L, 215L);
        double q = Math.exp(-1);
        assertThat(2 * Math.pow(q, 22) / (1 + q)).isLessThan(1e-9);
        assertThat(2 * Math.pow(q, 21) / (1 + q)).isGreaterThan(1e-9);
    }

    @Test
    void collectsEveryProblemOfAReportWithItsPath() {
        ObjectNode report = AcmeReports.valid();
        report.put("period", "2026-11-25");
        ((ObjectNode) report.get("context")).put("arch", "sparc");
        ((ObjectNode) report.get("counts").get("command_run").get(1)).put("n", 1000);
        ((ArrayNode) report.get("counts").get("error")).addObject().put("type", "org.evil.Tracker").put("n", 1);
        List<FieldError> errors = new ArrayList<>();
        assertThat(validate(report, errors)).isEmpty();
        assertThat(errors).extracting(FieldError::path).containsExactly(
                "$.context.arch", "$.counts.command_run[1].n", "$.counts.error[1].type");
    }

    @Test
    void theStoredFormIsCanonicalAndNormalisesTheReportId() {
        UUID id = UUID.randomUUID();
        ObjectNode report = AcmeReports.valid(id);
        report.put("report_id", id.toString().toUpperCase());
        report.put("period", "2026-11-25");
        Report valid = validate(report, new ArrayList<>()).orElseThrow();
        assertThat(valid.reportId()).isEqualTo(id);
        assertThat(valid.json()).contains("\"report_id\":\"" + id + "\"");
        assertThat(valid.json()).startsWith("{\"v\":1,\"report_id\"");
    }
}
