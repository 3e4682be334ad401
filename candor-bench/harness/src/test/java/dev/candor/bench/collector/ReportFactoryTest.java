package dev.candor.bench.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFactoryTest {
    private static final String CATALOG = "{\"catalog\":1,\"app\":\"tiny\",\"title\":\"t\",\"owner\":\"o\","
            + "\"policy_url\":\"https://tiny.example\",\"endpoint\":\"http://localhost:8080/v1/reports\",\"period\":\"day\","
            + "\"retention_days\":90,\"events\":{"
            + "\"run\":{\"description\":\"d\",\"fields\":{\"command\":{\"type\":\"enum\",\"values\":[\"a\",\"b\"]},"
            + "\"ok\":{\"type\":\"boolean\"}}},"
            + "\"size\":{\"description\":\"d\",\"fields\":{\"files\":{\"type\":\"count\"}},\"noise\":{\"epsilon\":1.0}}},"
            + "\"max_per_cell\":100}";

    @Test
    void everyReportIsNewNamesItsCatalogAndStaysInsideIt(@TempDir Path dir) throws Exception {
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, CATALOG);
        ReportFactory factory = new ReportFactory(catalog, 20, 7);

        JsonNode batch = new ObjectMapper().readTree(factory.batch(50, new Random(1)));

        assertThat(batch.path("reports")).hasSize(50);
        Set<String> ids = new HashSet<>();
        for (JsonNode report : batch.path("reports")) {
            ids.add(report.path("report_id").asText());
            assertThat(report.path("v").asInt()).isEqualTo(1);
            assertThat(report.path("app").asText()).isEqualTo("tiny");
            assertThat(report.path("catalog_sha256").asText())
                    .isEqualTo(ReportFactory.sha256(CATALOG.getBytes(StandardCharsets.UTF_8)));
            assertThat(report.path("noise").path("size").path("mechanism").asText()).isEqualTo("discrete_laplace");
            assertThat(report.path("counts").path("size")).as("a noised event is sent dense").hasSize(6);
            for (JsonNode cell : report.path("counts").path("run")) {
                assertThat(cell.path("command").asText()).isIn("a", "b");
                assertThat(cell.path("ok").isBoolean()).isTrue();
                assertThat(cell.path("n").asLong()).isBetween(1L, 100L);
            }
        }
        assertThat(ids).hasSize(50).doesNotContain(ReportFactory.ID_PLACEHOLDER);
    }

    @Test
    void theBytesOfABatchAreTheBatchItselfWithTheSameFreshIds(@TempDir Path dir) throws Exception {
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, CATALOG);
        ReportFactory factory = new ReportFactory(catalog, 20, 7);

        for (int size : new int[] {1, 2, 20, 100}) {
            String text = factory.batch(size, new Random(size));
            byte[] bytes = factory.batchBytes(size, new Random(size));
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(text);
        }
        JsonNode twice = new ObjectMapper().readTree(factory.batchBytes(2, new Random(3)));
        assertThat(twice.path("reports").get(0).path("report_id").asText())
                .isNotEqualTo(twice.path("reports").get(1).path("report_id").asText());
    }
}
