package dev.candor.internal.record;

import static dev.candor.internal.record.RecorderTest.cell;
import static dev.candor.internal.record.RecorderTest.cells;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {
    final Catalog acme = TestCatalogs.acme();

    @Test
    void buildsAReportWithoutAnyFiles() {
        CellTotals totals = new CellTotals();
        totals.add("command_run", List.of("hash", "false", "5s-30s"), 2);
        totals.add("command_run", List.of("convert", "true", "1s-5s"), 4);
        Report report = ReportBuilder.build(acme, "2026-11-24", totals, RecorderTest.CONTEXT, "2.0.0", new Random(3));
        Map<String, Object> map = report.asMap();
        assertThat(map.get("period")).isEqualTo("2026-11-24");
        assertThat(report.fileName()).isEqualTo("2026-11-24_" + report.reportId() + ".json");
        // Sparse cells in cell order (first field most significant), booleans as JSON booleans.
        assertThat(cells(Json.parse(report.jsonString()), "command_run")).containsExactly(
                cell("command", "convert", "success", true, "duration", "1s-5s", "n", 4L),
                cell("command", "hash", "success", false, "duration", "5s-30s", "n", 2L));
        assertThat(report.jsonString()).startsWith("{\"v\":1,\"report_id\":\"" + report.reportId()
                + "\",\"app\":\"acme\",\"app_version\":\"2.0\",\"catalog_sha256\":\"" + acme.sha256()
                + "\",\"period\":\"2026-11-24\",\"context\":{\"os\":\"linux\",\"arch\":\"x64\",\"runtime\":\"java_17\","
                + "\"memory_tier\":\"high\",\"install_method\":\"maven\",\"ci\":false},\"noise\":{\"input_size\":"
                + "{\"mechanism\":\"discrete_laplace\",\"epsilon\":1.0}},\"counts\":{\"command_run\":[");
    }

    @Test
    void theSameSeedGivesTheSameReportAndDifferentSeedsDifferentIds() {
        CellTotals totals = new CellTotals();
        totals.add("input_size", List.of("<1KB"), 3);
        String a = ReportBuilder.build(acme, "2026-11-24", totals, null, "1", new Random(9)).jsonString();
        String b = ReportBuilder.build(acme, "2026-11-24", totals, null, "1", new Random(9)).jsonString();
        String c = ReportBuilder.build(acme, "2026-11-24", totals, null, "1", new Random(10)).jsonString();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a).contains("\"context\":{}");
    }

    @Test
    void aNoisedEventWhoseNewValueWaitsIsStillSentWholeTheWaitingCellAsNoiseAlone() throws Exception {
        byte[] current;
        try (java.io.InputStream in = TestCatalogs.class.getResourceAsStream("acme-catalog.json")) {
            current = in.readAllBytes();
        }
        Catalog earlier = CatalogParser.parse(new String(current, StandardCharsets.UTF_8)
                .replace(", \">100MB\"]", "]").getBytes(StandardCharsets.UTF_8), "an earlier version");
        Catalog agreedPart = CatalogDiff.agreedPart(acme, earlier);
        assertThat(agreedPart.event("input_size").fields().get(0).values()).doesNotContain(">100MB");
        CellTotals totals = new CellTotals();
        totals.add("input_size", List.of("<1KB"), 100);
        for (int seed = 0; seed < 20; seed++) {
            Map<?, ?> report = (Map<?, ?>) Json.parse(
                    ReportBuilder.build(agreedPart, "2026-11-24", totals, null, "2.0", new Random(seed)).json());
            assertThat(report.get("catalog_sha256")).isEqualTo(acme.sha256());
            List<Map<String, Object>> sizes = cells(report, "input_size");
            assertThat(sizes).extracting(c -> c.get("size")).as("every cell of the catalog file, as any collector"
                    + " with the current catalog takes it").containsExactly("<1KB", "1KB-1MB", "1MB-100MB", ">100MB");
            // ε = 1: noise of scale 1 is within ±30 but for odds of about 1e-13; the count recorded is 100
            assertThat((Long) sizes.get(0).get("n")).isBetween(70L, 130L);
            assertThat((Long) sizes.get(3).get("n")).as("never recorded: noise alone").isBetween(-30L, 30L);
        }
    }

    @Test
    void refusesWhatTheCatalogDoesNotAllow() {
        CellTotals unknown = new CellTotals();
        unknown.add("login", List.of(), 1);
        assertThatThrownBy(() -> ReportBuilder.build(acme, "2026-11-24", unknown, null, "1", new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"login\" is not in the catalog");
        CellTotals badValue = new CellTotals();
        badValue.add("command_run", List.of("delete", "true", "1s-5s"), 1);
        assertThatThrownBy(() -> ReportBuilder.build(acme, "2026-11-24", badValue, null, "1", new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not allow \"delete\"");
        assertThatThrownBy(() -> ReportBuilder.build(acme, "24.11.2026", new CellTotals(), null, "1", new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a day period id");
        assertThatThrownBy(() -> ReportBuilder.build(TestCatalogs.weekly(), "2026-11-24", new CellTotals(), null, "1",
                new Random())).hasMessageContaining("a Monday");
    }

    @Test
    void anErrorEventKeepsTheMostFrequentNamedTypesInNameOrderAndFoldsTheRestIntoOtherLast() {
        CellTotals totals = new CellTotals();
        for (int i = 1; i <= FieldType.ERROR_TYPE_LIMIT + 2; i++) {
            totals.add("error", List.of(String.format("java.io.E%02d", i)), i); // E01 is the rarest
        }
        totals.add("error", List.of("java.io.E02"), 1); // 3, as many as E03: the first name wins the tie
        totals.add("error", List.of("java.io.E05"), 100); // 105, clamped to 100 in the report
        totals.add("error", List.of("org.elsewhere.Secret"), 7); // not an allowed type
        totals.add("error", List.of("other"), 2);
        List<Map<String, Object>> errors = cells(Json.parse(
                ReportBuilder.build(acme, "2026-11-24", totals, null, "1", new Random(1)).jsonString()), "error");
        List<Object> types = new ArrayList<>();
        List<Object> counts = new ArrayList<>();
        types.add("java.io.E02");
        counts.add(3L);
        for (int i = 4; i <= FieldType.ERROR_TYPE_LIMIT + 2; i++) {
            types.add(String.format("java.io.E%02d", i));
            counts.add(i == 5 ? 100L : (long) i);
        }
        types.add("other");
        counts.add(1L + 3 + 7 + 2);
        assertThat(errors).extracting(c -> c.get("type")).containsExactlyElementsOf(types);
        assertThat(errors).extracting(c -> c.get("n")).containsExactlyElementsOf(counts);
    }

    @Test
    void appVersionIsReducedToMajorMinor() {
        assertThat(ReportBuilder.majorMinor(" V7.3 ")).isEqualTo("7.3");
        assertThat(ReportBuilder.majorMinor("2.")).isEqualTo("2.0");
        assertThat(ReportBuilder.majorMinor("1234567890.5")).isEqualTo("123456789.0");
        assertThat(ReportBuilder.majorMinor("1.1234567890")).isEqualTo("1.123456789");
        assertThat(ReportBuilder.majorMinor("v")).isEqualTo("unknown");
        assertThat(ReportBuilder.majorMinor("٣.1")).isEqualTo("unknown");
        assertThat(ReportBuilder.majorMinor("2.0.1")).isEqualTo("2.0");
        assertThat(ReportBuilder.majorMinor("2")).isEqualTo("2.0");
        assertThat(ReportBuilder.majorMinor("v3.14.159-SNAPSHOT+build.7")).isEqualTo("3.14");
        assertThat(ReportBuilder.majorMinor("10.02")).isEqualTo("10.2");
        assertThat(ReportBuilder.majorMinor("nightly-2026-11-24")).isEqualTo("unknown");
        assertThat(ReportBuilder.majorMinor("")).isEqualTo("unknown");
        assertThat(ReportBuilder.majorMinor(null)).isEqualTo("unknown");
    }

    @Property(tries = 200)
    void everyReportKeepsTheRules(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 29) Integer> runCells,
            @ForAll @Size(max = 10) List<@LongRange(min = 1, max = 1000) Long> amounts,
            @ForAll @IntRange(min = 0, max = 40) int errorTypes, @ForAll long seed) {
        CellTotals totals = new CellTotals();
        EventSpec run = acme.event("command_run");
        for (int i = 0; i < runCells.size(); i++) {
            long n = amounts.isEmpty() ? 1 : amounts.get(i % amounts.size());
            totals.add("command_run", List.of(run.cellValues(runCells.get(i))), n);
        }
        for (int i = 0; i < errorTypes; i++) {
            totals.add("error", List.of(i % 3 == 0 ? "org.x.Secret" + i : "java.lang.E" + i), i + 1);
        }
        Map<?, ?> report = (Map<?, ?>) Json.parse(
                ReportBuilder.build(acme, "2026-11-24", totals, RecorderTest.CONTEXT, "2.0", new Random(seed)).json());
        assertThat(new ArrayList<Object>(report.keySet())).containsExactly("v", "report_id", "app", "app_version",
                "catalog_sha256", "period", "context", "noise", "counts");
        for (Map<String, Object> c : cells(report, "command_run")) {
            assertThat((Long) c.get("n")).isBetween(1L, 100L);
        }
        List<Map<String, Object>> errors = cells(report, "error");
        assertThat(errors.size()).isLessThanOrEqualTo(FieldType.ERROR_TYPE_LIMIT + 1);
        assertThat(errors).allMatch(c -> ((String) c.get("type")).startsWith("java.lang.E") || c.get("type").equals("other"));
        assertThat(cells(report, "input_size")).extracting(c -> c.get("size"))
                .containsExactly("<1KB", "1KB-1MB", "1MB-100MB", ">100MB");
        assertThat(report.toString()).doesNotContain("Secret");
    }
}
