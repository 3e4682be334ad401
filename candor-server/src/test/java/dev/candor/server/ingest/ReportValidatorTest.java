package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.FieldType;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.rollup.CurrentCatalogs;
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

    /** Validates {@code report}, checks that the one-pass reader gives it up too, and returns its problems. */
    List<FieldError> problems(ObjectNode report) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(validate(report, errors)).isEmpty();
        ReportValidator validator = new ReportValidator(catalogs, WEDNESDAY);
        assertThat(validator.validBatchReader().read(AcmeReports.bytes(report))).as("the one-pass reader gives up").isEmpty();
        return errors;
    }

    ObjectNode today() {
        ObjectNode report = AcmeReports.valid();
        report.put("period", "2026-11-25");
        return report;
    }

    @Test
    void aReportIdMustBeAFreshRandomUuidSinceItIsTheDedupeKey() {
        assertThat(problems(withId("00000000-0000-0000-0000-000000000000"))).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.report_id");
            assertThat(e.detail()).isEqualTo("is the nil UUID; every report needs a fresh random (version 4) UUID, since"
                    + " a repeated report_id is dropped as a duplicate");
        });
        // time-based (version 1) and name-based (version 3) ids are not random
        assertThat(problems(withId("c232ab00-9414-11ec-b3c8-9f6bdeced846"))).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("is a version 1 UUID, not a random one (version 4)"));
        assertThat(problems(withId(UUID.nameUUIDFromBytes("acme".getBytes(StandardCharsets.UTF_8)).toString())))
                .singleElement().satisfies(e -> assertThat(e.detail()).startsWith("is a version 3 UUID"));
        // version 4 digits, but not the RFC 4122 variant (c: Microsoft's reserved one)
        assertThat(problems(withId("7f1c9e0a-1b2c-4d3e-cf90-a1b2c3d4e5f6"))).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("has variant digit c, not 8, 9, a or b (RFC 4122)"));

        for (String random : List.of("7f1c9e0a-1b2c-4d3e-8f90-a1b2c3d4e5f6", "7F1C9E0A-1B2C-4D3E-BF90-A1B2C3D4E5F6",
                UUID.randomUUID().toString())) {
            List<FieldError> errors = new ArrayList<>();
            assertThat(validate(withId(random), errors)).as(random + " " + errors).isPresent();
        }
    }

    ObjectNode withId(String id) {
        ObjectNode report = today();
        report.put("report_id", id);
        return report;
    }

    /**
     * A catalog version stored before the SDK's endpoint rule tightened (no query string or fragment) still counts
     * its installs' reports, and still feeds the rollups: the collector never sends to the endpoint, and refusing
     * the stored version would turn every report of those installs into a 422 that the SDK drops.
     */
    @Test
    void aVersionStoredBeforeTheEndpointRuleStillCountsItsReports() throws Exception {
        byte[] older = new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                .replaceFirst("\"endpoint\": \"([^\"]*)\"", "\"endpoint\": \"$1?source=old#x\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new String(older, StandardCharsets.UTF_8)).contains("?source=old#x");
        assertThatThrownBy(() -> CatalogParser.parse(older, "older")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("must not hold a query string");
        String sha = CatalogParser.parseStored(older, "older").sha256();
        store.saveCatalog("acme", sha, older);

        CatalogRegistry reloaded = CatalogRegistry.load(store);
        ObjectNode report = AcmeReports.valid(UUID.randomUUID(), sha);
        report.put("period", "2026-11-25");
        List<FieldError> errors = new ArrayList<>();
        assertThat(new ReportValidator(reloaded, WEDNESDAY).validate(report, "$", errors)).as(errors.toString()).isPresent();
        assertThat(CurrentCatalogs.load(store).get("acme").sha256()).isEqualTo(sha);
    }

    @Test
    void aNoisedEventListsEveryCellOnce() {
        ObjectNode sparse = today();
        ((ArrayNode) sparse.get("counts").get("input_size")).remove(3);
        assertThat(problems(sparse)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.counts.input_size");
            assertThat(e.detail()).isEqualTo("lists 3 of the 4 cells of input_size, which the catalog noises: a noised"
                    + " event is sent dense, every cell once with its noised count, so that a feature never used looks"
                    + " like one used; missing {\"size\":\">100MB\"}");
        });

        ObjectNode onlyTheUsedCell = today();
        ArrayNode sizes = (ArrayNode) onlyTheUsedCell.get("counts").get("input_size");
        sizes.removeAll();
        sizes.addObject().put("size", "1MB-100MB").put("n", 7);
        assertThat(problems(onlyTheUsedCell)).singleElement().satisfies(e -> assertThat(e.detail())
                .startsWith("lists 1 of the 4 cells").endsWith("missing {\"size\":\"<1KB\"}, {\"size\":\"1KB-1MB\"},"
                        + " {\"size\":\">100MB\"}"));

        ObjectNode twice = today();
        ((ArrayNode) twice.get("counts").get("input_size")).set(3, twice.get("counts").get("input_size").get(0).deepCopy());
        assertThat(problems(twice)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.counts.input_size[3]");
            assertThat(e.detail()).isEqualTo("the same cell as $.counts.input_size[0]; send each cell once");
        });

        ObjectNode fiveCells = today();
        ((ArrayNode) fiveCells.get("counts").get("input_size")).add(fiveCells.get("counts").get("input_size").get(1).deepCopy());
        assertThat(problems(fiveCells)).singleElement()
                .isEqualTo(new FieldError("$.counts.input_size", "5 cells; event input_size has at most 4"));
    }

    @Test
    void aNoisedEventMayBeLeftOutOrSentAsTheCellsAnEarlierAgreedVersionAllows() throws Exception {
        // The SDK records no event the user has not agreed to, and of an event whose enum gained a value only
        // the values agreed to (CatalogDiff.agreedPart): a report then lacks input_size, or its new cells.
        ObjectNode left = today();
        ((ObjectNode) left.get("counts")).remove("input_size");
        List<FieldError> errors = new ArrayList<>();
        assertThat(validate(left, errors)).as(errors.toString()).isPresent();

        catalogs.install(new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                .replace(", \">100MB\"]", "]").getBytes(StandardCharsets.UTF_8), "acme, an earlier version");
        catalogs.install(AcmeReports.catalogBytes(), "acme");
        ObjectNode agreedPart = today();
        ((ArrayNode) agreedPart.get("counts").get("input_size")).remove(3);
        assertThat(validate(agreedPart, errors)).as(errors.toString()).isPresent();
        assertThat(new ReportValidator(catalogs, WEDNESDAY).validBatchReader().read(AcmeReports.bytes(agreedPart)))
                .isPresent();

        ObjectNode sparser = today();
        ((ArrayNode) sparser.get("counts").get("input_size")).remove(3);
        ((ArrayNode) sparser.get("counts").get("input_size")).remove(0);
        assertThat(problems(sparser)).extracting(FieldError::path).containsExactly("$.counts.input_size");
    }

    @Test
    void anErrorTypeIsAClassNameTheSdkSendsNotFreeText() {
        for (String freeText : List.of("java.txt", "java.io.tmpdir", "javax.net.ssl.trustStore", "java.example.org",
                "java.Users.alice.Diary", "java.lang.Ошибка", "java.io.IOException.", "dev.candor.examples.acme.io.")) {
            ObjectNode report = today();
            ((ObjectNode) report.get("counts").get("error").get(0)).put("type", freeText);
            assertThat(problems(report)).as(freeText).singleElement().satisfies(e -> {
                assertThat(e.path()).isEqualTo("$.counts.error[0].type");
                assertThat(e.detail()).isEqualTo("\"" + freeText + "\" is not an error type the SDK sends: a class name"
                        + " in java.*, javax.* or dev.candor.examples.acme.* shaped like java.io.IOException (lower-case"
                        + " packages, then a class name starting with a capital, at most 200 characters), or \"other\"");
            });
        }

        ObjectNode long_ = today();
        String longName = "java.io.I" + "O".repeat(300) + "Exception";
        ((ObjectNode) long_.get("counts").get("error").get(0)).put("type", longName);
        assertThat(problems(long_)).singleElement().satisfies(e -> assertThat(e.detail())
                .as("a long value is not echoed whole").startsWith("\"java.io.IOOO").hasSizeLessThan(400)
                .doesNotContain(longName));

        for (String sent : List.of("java.io.UncheckedIOException", "javax.net.ssl.SSLHandshakeException",
                "java.util.concurrent.CompletableFuture$Boom", "dev.candor.examples.acme.io.BadInput$1", "other")) {
            ObjectNode report = today();
            ((ObjectNode) report.get("counts").get("error").get(0)).put("type", sent);
            List<FieldError> errors = new ArrayList<>();
            assertThat(validate(report, errors)).as(sent + " " + errors).isPresent();
        }
    }

    @Test
    void anInstallNamesAtMostTwentyErrorTypesAndFoldsTheRestIntoOther() {
        ObjectNode twenty = today();
        ArrayNode errors = (ArrayNode) twenty.get("counts").get("error");
        errors.removeAll();
        for (int i = 0; i < FieldType.ERROR_TYPE_LIMIT; i++) {
            errors.addObject().put("type", "dev.candor.examples.acme.Failure" + i).put("n", 1);
        }
        errors.addObject().put("type", "other").put("n", 5);
        List<FieldError> problems = new ArrayList<>();
        assertThat(validate(twenty, problems)).as(problems.toString()).isPresent();

        ObjectNode twentyOne = twenty.deepCopy();
        ((ObjectNode) twentyOne.get("counts").get("error").get(20)).put("type", "java.io.IOException");
        assertThat(problems(twentyOne)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.counts.error");
            assertThat(e.detail()).isEqualTo("21 distinct error types besides \"other\"; an install reports at most 20"
                    + " and folds the rest into \"other\"");
        });
    }
}
