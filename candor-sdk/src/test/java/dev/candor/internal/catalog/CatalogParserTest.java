package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.internal.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CatalogParserTest {

    /** The catalog of DESIGN §3, verbatim. */
    static final String DESIGN_EXAMPLE = """
            {
              "catalog": 1,
              "app": "acme",
              "title": "Acme file toolkit",
              "owner": "The Acme maintainers",
              "policy_url": "https://acme.example/telemetry",
              "endpoint": "http://localhost:8080/v1/reports",
              "period": "day",
              "retention_days": 90,
              "events": {
                "command_run": {
                  "description": "A command finished.",
                  "fields": {
                    "command":  {"type": "enum", "values": ["convert", "count", "hash"]},
                    "success":  {"type": "boolean"},
                    "duration": {"type": "duration"}
                  }
                },
                "error": {
                  "description": "A command failed, reduced to the error's type.",
                  "fields": {"type": {"type": "error_type"}}
                },
                "input_size": {
                  "description": "How large the input files are.",
                  "fields": {"size": {"type": "enum", "values": ["<1KB", "1KB-1MB", "1MB-100MB", ">100MB"]}},
                  "noise": {"epsilon": 1.0}
                }
              },
              "max_per_cell": 100
            }
            """;

    @Test
    void theDesignExampleParses() throws Exception {
        byte[] bytes = DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8);
        Catalog c = CatalogParser.parse(bytes, "catalog.json");
        assertThat(c.app()).isEqualTo("acme");
        assertThat(c.title()).isEqualTo("Acme file toolkit");
        assertThat(c.owner()).isEqualTo("The Acme maintainers");
        assertThat(c.policyUrl()).isEqualTo("https://acme.example/telemetry");
        assertThat(c.endpoint()).isEqualTo("http://localhost:8080/v1/reports");
        assertThat(c.period()).isEqualTo(Catalog.Period.DAY);
        assertThat(c.retentionDays()).isEqualTo(90);
        assertThat(c.maxPerCell()).isEqualTo(100);
        assertThat(c.packages()).isEmpty();
        assertThat(c.events()).extracting(EventSpec::name).containsExactly("command_run", "error", "input_size");
        EventSpec run = c.event("command_run");
        assertThat(run.fields()).extracting(FieldSpec::name).containsExactly("command", "success", "duration");
        assertThat(run.fields()).extracting(FieldSpec::type)
                .containsExactly(FieldType.ENUM, FieldType.BOOLEAN, FieldType.DURATION);
        assertThat(run.cellCount()).isEqualTo(3 * 2 * 5);
        assertThat(run.noised()).isFalse();
        assertThat(c.event("error").cellCount()).isEqualTo(21);
        assertThat(c.event("error").errorTypeField()).isEqualTo(0);
        assertThat(c.event("input_size").noiseEpsilon()).isEqualByComparingTo("1.0");
        assertThat(c.totalCells()).isEqualTo(30 + 21 + 4);
        assertThat(c.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(c.warnings()).containsExactly(
                "catalog.json: events.command_run: no \"review\"; link the public discussion where collecting this"
                        + " event was agreed",
                "catalog.json: events.error: no \"review\"; link the public discussion where collecting this event"
                        + " was agreed",
                "catalog.json: events.input_size: no \"review\"; link the public discussion where collecting this"
                        + " event was agreed");
    }

    @Test
    void theAcmeCatalogParses() throws Exception {
        Path acme = Path.of("../examples/acme/src/main/resources/META-INF/candor/catalog.json");
        Catalog c = CatalogParser.parse(acme);
        assertThat(c.packages()).containsExactly("dev.candor.examples.acme");
        assertThat(c.events()).hasSize(3);
        assertThat(c.sha256()).hasSize(64);
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreMissing() throws Exception {
        Catalog c = parse(minimal());
        assertThat(c.period()).isEqualTo(Catalog.Period.DAY);
        assertThat(c.retentionDays()).isEqualTo(90);
        assertThat(c.maxPerCell()).isEqualTo(100);
        assertThat(c.event("started").fields()).isEmpty();
        assertThat(c.event("started").cellCount()).isEqualTo(1);
        assertThat(c.event("started").review()).isEqualTo("https://github.com/acme/acme/issues/1");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void weekPeriod() throws Exception {
        assertThat(parse(with(m -> m.put("period", "week"))).period()).isEqualTo(Catalog.Period.WEEK);
    }

    @Test
    void freeTextTypeIsRefusedWithTheDesignMessage() {
        Map<String, Object> m = minimal();
        event(m, "command_run").put("fields", map("who", map("type", "string")));
        event(m, "command_run").put("description", "x");
        assertProblems(m, "catalog.json: events.command_run.fields.who: type \"string\" is not allowed"
                + " (free text could carry personal data); use \"enum\"");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> m = minimal();
        m.put("app", "Acme");
        m.put("colour", "blue");
        m.put("endpoint", "ftp://example.org/x");
        m.put("retention_days", 0);
        m.put("period", "month");
        m.put("policy_url", "https://user:pw@example.org/");
        m.put("catalog", 2);
        m.put("max_per_cell", 1.5);
        assertProblems(m,
                "catalog.json: colour: unknown key \"colour\"; allowed here: catalog, app, title, owner, policy_url,"
                        + " endpoint, period, retention_days, max_per_cell, packages, events",
                "catalog.json: catalog: catalog version 2 is not supported; this SDK reads \"catalog\": 1",
                "catalog.json: app: \"Acme\" is not a valid app name; use 1 to 40 lower-case letters, digits and"
                        + " '-', starting with a letter (e.g. \"acme\")",
                "catalog.json: policy_url: \"https://user:pw@example.org/\" must not hold a user name or password",
                "catalog.json: endpoint: \"ftp://example.org/x\" must be an http or https URL",
                "catalog.json: period: \"month\" is not a period; use \"day\" or \"week\"",
                "catalog.json: retention_days: must be a whole number from 1 to 3650, not 0",
                "catalog.json: max_per_cell: must be a whole number from 1 to 10000, not 1.5");
    }

    /**
     * The endpoint is an address only: a query string would go to the collector with every report (and could carry
     * something that identifies the user), a fragment means nothing there, a user name and password do not belong
     * in a catalog. The policy URL is a page for people, where a query or a fragment is fine.
     */
    @Test
    void anEndpointWithAQueryStringAFragmentOrAPasswordIsRefused() throws CatalogException {
        String[][] cases = {
            {"https://collector.example/v1?x=y", "must not hold a query string (\"?...\"): it would go to the collector"
                    + " with every report, and a collector needs none"},
            {"https://collector.example/v1?", "must not hold a query string"},
            {"https://collector.example/v1#top", "must not hold a fragment (\"#...\"): an endpoint is an address only"},
            {"https://user:pw@collector.example/v1", "must not hold a user name or password"},
        };
        for (String[] c : cases) {
            Map<String, Object> m = minimal();
            m.put("endpoint", c[0]);
            assertThatThrownBy(() -> parse(m)).as(c[0]).isInstanceOfSatisfying(CatalogException.class,
                    e -> assertThat(e.problems()).singleElement().asString()
                            .startsWith("catalog.json: endpoint: \"" + c[0] + "\" " + c[1]));
        }
        Map<String, Object> m = minimal();
        m.put("policy_url", "https://acme.example/privacy?lang=en#telemetry");
        assertThat(parse(m).policyUrl()).endsWith("#telemetry");
        assertThat(CatalogParser.endpointProblem("https://collector.example/v1/reports")).isNull();
    }

    @Test
    void unknownKeysGetASuggestion() {
        Map<String, Object> m = minimal();
        m.put("policyurl", "x");
        event(m, "started").put("descripton", "typo");
        assertProblems(m, "catalog.json: policyurl: unknown key \"policyurl\"; did you mean \"policy_url\"?",
                "catalog.json: events.started.descripton: unknown key \"descripton\"; did you mean \"description\"?");
    }

    @Test
    void requiredKeysAreNamed() {
        Map<String, Object> m = minimal();
        m.remove("app");
        m.remove("events");
        m.remove("title");
        assertProblems(m, "catalog.json: app: is missing; it is required",
                "catalog.json: title: is missing; it is required",
                "catalog.json: events: is missing; it is required");
    }

    @Test
    void enumRules() {
        Map<String, Object> m = minimal();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("none", map("type", "enum"));
        fields.put("empty", map("type", "enum", "values", List.of()));
        fields.put("dup", map("type", "enum", "values", List.of("a", "b", "a")));
        fields.put("blank", map("type", "enum", "values", List.of("")));
        fields.put("long", map("type", "enum", "values", List.of("x".repeat(65))));
        fields.put("spaced", map("type", "enum", "values", List.of(" a")));
        fields.put("unicode", map("type", "enum", "values", List.of("café")));
        fields.put("number", map("type", "enum", "values", List.of(1)));
        fields.put("many", map("type", "enum", "values",
                java.util.stream.IntStream.range(0, 65).mapToObj(i -> "v" + i).toList()));
        fields.put("bool", map("type", "boolean", "values", List.of("yes", "no")));
        event(m, "started").put("fields", fields);
        String at = "catalog.json: events.started.fields.";
        assertProblems(m,
                at + "none: an \"enum\" field needs \"values\": the list of every value it may take",
                at + "empty.values: is empty; list every value the field may take",
                at + "dup.values[2]: \"a\" is listed twice; enum values must be unique",
                at + "blank.values[0]: \"\" is empty; enum values must be non-empty",
                at + "long.values[0]: \"" + "x".repeat(65) + "\" is longer than 64 characters; use a short label",
                at + "spaced.values[0]: \" a\" starts or ends with a space",
                at + "unicode.values[0]: \"café\" contains a character outside printable ASCII; use a short ASCII"
                        + " label",
                at + "number.values[0]: must be a string, not a number",
                at + "many.values: 65 values are more than the limit of 64; group rare values into one such as"
                        + " \"other\"",
                at + "bool.values: only an \"enum\" lists values; type \"boolean\" always has the values"
                        + " [\"true\",\"false\"]; remove \"values\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void namesFollowTheirPatterns() {
        Map<String, Object> m = minimal();
        event(m, "started").put("fields", map("Bad-Name", map("type", "boolean")));
        ((Map<String, Object>) m.get("events")).put("9lives", map("description", "x", "review",
                "https://example.org/r"));
        assertProblems(m,
                "catalog.json: events.started.fields.Bad-Name: \"Bad-Name\" is not a valid field name; use 1 to 64"
                        + " lower-case letters, digits and '_', starting with a letter",
                "catalog.json: events.9lives: \"9lives\" is not a valid event name; use 1 to 64 lower-case letters,"
                        + " digits and '_', starting with a letter");
    }

    @Test
    void numberTypesAndUnknownTypes() {
        Map<String, Object> m = minimal();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("n", map("type", "integer"));
        fields.put("q", map("type", "colour"));
        fields.put("t", map("values", List.of("a")));
        event(m, "started").put("fields", fields);
        assertProblems(m,
                "catalog.json: events.started.fields.n: type \"integer\" is not allowed (an exact number or time"
                        + " could single out a user); use \"count\" or \"duration\" buckets, or \"enum\"",
                "catalog.json: events.started.fields.q: type \"colour\" is unknown; use one of \"enum\", \"boolean\","
                        + " \"duration\", \"count\", \"error_type\"",
                "catalog.json: events.started.fields.t: has no \"type\"; use one of \"enum\", \"boolean\","
                        + " \"duration\", \"count\", \"error_type\"");
    }

    @Test
    void noiseRules() {
        for (Object bad : List.of(0, -1, 10.5, "1")) {
            Map<String, Object> m = minimal();
            event(m, "started").put("noise", map("epsilon", bad));
            assertThatThrownBy(() -> parse(m)).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("events.started.noise.epsilon:");
        }
        Map<String, Object> ok = minimal();
        event(ok, "started").put("noise", map("epsilon", 10));
        Map<String, Object> tiny = minimal();
        event(tiny, "started").put("noise", map("epsilon", new BigDecimal("0.001")));
        Map<String, Object> withError = minimal();
        event(withError, "started").put("noise", map("epsilon", 1));
        event(withError, "started").put("fields", map("type", map("type", "error_type")));
        assertProblems(withError, "catalog.json: events.started.noise: an event with noise is sent with every cell,"
                + " so it cannot have an \"error_type\" field (its values are not a closed set); drop the noise or"
                + " the field");
        Map<String, Object> extra = minimal();
        event(extra, "started").put("noise", map("epsilon", 1, "mechanism", "gauss"));
        assertProblems(extra, "catalog.json: events.started.noise.mechanism: unknown key \"mechanism\"; allowed"
                + " here: epsilon");
        try {
            assertThat(parse(ok).event("started").noiseEpsilon()).isEqualByComparingTo("10");
            assertThat(parse(tiny).event("started").noiseEpsilon()).isEqualByComparingTo("0.001");
        } catch (CatalogException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void atMostOneErrorTypePerEvent() {
        Map<String, Object> m = minimal();
        event(m, "started").put("fields", map("a", map("type", "error_type"), "b", map("type", "error_type")));
        assertProblems(m, "catalog.json: events.started.fields: has 2 fields of type \"error_type\"; use at most one");
    }

    @Test
    void eventLimits() throws Exception {
        Map<String, Object> eleven = minimal();
        for (int i = 0; i < 10; i++) {
            events(eleven).put("e" + i, map("description", "d", "review", "https://example.org/" + i));
        }
        assertThat(parse(eleven).warnings()).containsExactly(
                "catalog.json: events: 11 events; fewer than 10 keeps telemetry focused and easy to explain");
        Map<String, Object> many = minimal();
        for (int i = 0; i < 32; i++) {
            events(many).put("e" + i, map("description", "d", "review", "https://example.org/" + i));
        }
        assertProblems(many, "catalog.json: events: 33 events are more than the limit of 32; collect less");
        Map<String, Object> none = minimal();
        none.put("events", map());
        assertProblems(none, "catalog.json: events: declares no event; declare at least one");
    }

    @Test
    void cellLimitCountsErrorTypesAs21() throws Exception {
        // 21 * 6 * 5 * 3 = 1890 cells: allowed; with one more boolean (3780) it is not.
        Map<String, Object> m = minimal();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", map("type", "error_type"));
        fields.put("items", map("type", "count"));
        fields.put("took", map("type", "duration"));
        fields.put("mode", map("type", "enum", "values", List.of("a", "b", "c")));
        event(m, "started").put("fields", fields);
        Catalog c = parse(m);
        assertThat(c.totalCells()).isEqualTo(1890);
        fields.put("ok", map("type", "boolean"));
        assertProblems(m, "catalog.json: events: the events have 3780 cells in all (the product of each event's field"
                + " values, an error_type counting 21), more than the limit of 2000; use fewer fields or values");
    }

    @Test
    void packagesAreJavaPackageNames() {
        Map<String, Object> m = minimal();
        m.put("packages", List.of("com.acme", "com..x", 3, "com.acme", "Com.Acme", "org.acme_2.io"));
        String use = " is not a Java package name as error types are matched: use lower-case dotted identifiers"
                + " such as \"com.acme\"";
        assertProblems(m,
                "catalog.json: packages[1]: \"com..x\"" + use,
                "catalog.json: packages[2]: a number" + use,
                "catalog.json: packages[3]: \"com.acme\" is listed twice",
                "catalog.json: packages[4]: \"Com.Acme\"" + use);
    }

    @Test
    void syntaxErrorsNameTheFileAndPosition() {
        assertThatThrownBy(() -> CatalogParser.parse("{\"app\": }".getBytes(StandardCharsets.UTF_8), "catalog.json"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "catalog.json: not valid JSON: line 1, column 9 (byte 8): unexpected character '}';"
                                + " expected a value"));
        assertThatThrownBy(() -> CatalogParser.parse("[]".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessage("x.json: the catalog must be a JSON object, not an array");
        assertThatThrownBy(() -> CatalogParser.parse(null, "x.json")).isInstanceOf(CatalogException.class);
    }

    @Test
    void typeMismatchesAreNamed() {
        Map<String, Object> m = minimal();
        m.put("title", 5);
        m.put("events", List.of());
        assertProblems(m, "catalog.json: title: must be a string, not a number",
                "catalog.json: events: must be an object of events by name, not an array");
    }

    // ---- helpers ----

    static Map<String, Object> minimal() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("catalog", 1);
        m.put("app", "acme");
        m.put("title", "Acme");
        m.put("owner", "Acme people");
        m.put("policy_url", "https://acme.example/telemetry");
        m.put("endpoint", "https://collector.acme.example/v1/reports");
        m.put("events", map("started", map("description", "The app started.", "review",
                "https://github.com/acme/acme/issues/1")));
        return m;
    }

    static Map<String, Object> with(Consumer<Map<String, Object>> change) {
        Map<String, Object> m = minimal();
        change.accept(m);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> events(Map<String, Object> catalog) {
        return (Map<String, Object>) catalog.get("events");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> event(Map<String, Object> catalog, String name) {
        return (Map<String, Object>) events(catalog).computeIfAbsent(name, k -> map("description", "d"));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Catalog parse(Map<String, Object> m) throws CatalogException {
        return CatalogParser.parse(Json.writePretty(m).getBytes(StandardCharsets.UTF_8), "catalog.json");
    }

    static void assertProblems(Map<String, Object> m, String... expected) {
        assertThatThrownBy(() -> parse(m)).isInstanceOfSatisfying(CatalogException.class,
                e -> assertThat(e.problems()).containsExactly(expected));
    }
}
