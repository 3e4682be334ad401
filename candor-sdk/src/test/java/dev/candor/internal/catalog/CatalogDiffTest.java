package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The catalog diff and the agreed part of a newer catalog, on small catalogs read like a changelog. */
class CatalogDiffTest {

    /** What the user agreed to: acme 1.x. */
    static final String V1 = """
            "command_run": {"description": "A command finished.", "fields": {
                "command": {"type": "enum", "values": ["convert", "count"]},
                "duration": {"type": "duration"}}},
            "error": {"description": "A command failed, reduced to the error's type.",
                "fields": {"type": {"type": "error_type"}}},
            "file_opened": {"description": "A file was opened.", "fields": {}},
            "input_size": {"description": "How large the input files are.",
                "fields": {"size": {"type": "enum", "values": ["small", "large"]}}, "noise": {"epsilon": 0.5}}
            """;

    /** acme 2.0: one new event, one new field, one new value, less noise, one event gone. */
    static final String V2 = """
            "command_run": {"description": "A command finished.", "fields": {
                "command": {"type": "enum", "values": ["hash", "convert", "count"]},
                "duration": {"type": "duration"}}},
            "error": {"description": "A command failed, reduced to the error's type.",
                "fields": {"type": {"type": "error_type"}, "command": {"type": "enum", "values": ["convert"]}}},
            "input_size": {"description": "How large the input files are (new words).",
                "fields": {"size": {"type": "enum", "values": ["small", "large"]}}, "noise": {"epsilon": 1.0}},
            "plugin_loaded": {"description": "A plugin was loaded.",
                "fields": {"plugin": {"type": "enum", "values": ["zip", "tar"]}}}
            """;

    static Catalog catalog(String events) {
        String json = "{\"catalog\": 1, \"app\": \"acme\", \"title\": \"Acme file toolkit\", \"owner\": \"Acme people\","
                + " \"policy_url\": \"https://acme.example/telemetry\", \"endpoint\": \"http://localhost:8080/v1/reports\","
                + " \"events\": {" + events + "}}";
        try {
            return CatalogParser.parse(json.getBytes(StandardCharsets.UTF_8), "catalog.json");
        } catch (CatalogException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void listsEveryChangeInCatalogOrderThenTheRemovedEvents() {
        CatalogDiff diff = CatalogDiff.between(catalog(V1), catalog(V2));
        assertThat(diff.toString()).isEqualTo("""
                changed field command_run.command
                new field error.command
                less noise on input_size
                new event plugin_loaded
                removed event file_opened
                """);
        assertThat(diff.waitingCount()).isEqualTo(4);
        assertThat(diff.waiting()).extracting(Object::toString).doesNotContain("removed event file_opened");
    }

    @Test
    void aCatalogComparedWithItselfHasNoChange() {
        assertThat(CatalogDiff.between(catalog(V2), catalog(V2)).isEmpty()).isTrue();
        assertThat(CatalogDiff.agreedPart(catalog(V2), catalog(V2)).events()).hasSize(4);
    }

    @Test
    void wordsAnOrderOfValuesAndFewerValuesAskNothing() {
        Catalog agreed = catalog("""
                "a": {"description": "One.", "fields": {"f": {"type": "enum", "values": ["x", "y", "z"]},
                                                       "g": {"type": "boolean"}}}
                """);
        Catalog current = catalog("""
                "a": {"description": "Other words.", "fields": {"f": {"type": "enum", "values": ["z", "x"]}}}
                """);
        CatalogDiff diff = CatalogDiff.between(agreed, current);
        assertThat(diff.toString()).isEqualTo("removed field a.g\n");
        assertThat(diff.waitingCount()).isZero();
        assertThat(CatalogDiff.agreedPart(current, agreed)).isSameAs(current);
    }

    @Test
    void moreNoiseAsksNothingLessNoiseAndNoNoiseDo() {
        String noised = "\"a\": {\"description\": \"d\", \"fields\": {}, \"noise\": {\"epsilon\": %s}}";
        String exact = "\"a\": {\"description\": \"d\", \"fields\": {}}";
        assertThat(CatalogDiff.between(catalog(noised.formatted("1")), catalog(noised.formatted("0.5"))).isEmpty()).isTrue();
        assertThat(CatalogDiff.between(catalog(exact), catalog(noised.formatted("1"))).isEmpty()).isTrue();
        assertThat(CatalogDiff.between(catalog(noised.formatted("1")), catalog(noised.formatted("2"))).toString())
                .isEqualTo("less noise on a\n");
        assertThat(CatalogDiff.between(catalog(noised.formatted("1")), catalog(exact)).toString())
                .isEqualTo("less noise on a\n");
    }

    @Test
    void theAgreedPartRecordsOnlyAgreedCellsAndStillNamesTheWholeCatalog() {
        Catalog v2 = catalog(V2);
        Catalog part = CatalogDiff.agreedPart(v2, catalog(V1));
        assertThat(part.events()).extracting(EventSpec::name).containsExactly("command_run");
        assertThat(part.event("command_run").field("command").values()).containsExactly("convert", "count");
        assertThat(part.event("error")).as("a new field holds the whole event back").isNull();
        assertThat(part.event("input_size")).as("less noise holds the event back").isNull();
        assertThat(part.event("plugin_loaded")).isNull();
        assertThat(part.allEvents()).extracting(EventSpec::name)
                .containsExactly("command_run", "error", "input_size", "plugin_loaded");
        assertThat(part.sha256()).isEqualTo(v2.sha256());
    }

    @Test
    void agreeingToNothingRecordsNothingAndEverythingIsNew() {
        Catalog v2 = catalog(V2);
        assertThat(CatalogDiff.agreedPart(v2, null).events()).isEmpty();
        assertThat(CatalogDiff.between(null, v2).toString()).isEqualTo("""
                new event command_run
                new event error
                new event input_size
                new event plugin_loaded
                """);
    }

    @Test
    void theDescriptionOfChangesUsesTheWordsOfTelemetryWhat() {
        Catalog v2 = catalog(V2);
        assertThat(CatalogDiff.describeChanges(v2, CatalogDiff.between(catalog(V1), v2))).isEqualTo("""
                command_run: A command finished.
                  command  hash, convert, count  (changed; you agreed to: convert, count)
                error: A command failed, reduced to the error's type.
                  command  convert  (new field)
                input_size: How large the input files are (new words).
                  local noise: yes, ε = 1 (every value is sent, with noise)  (less noise than you agreed to)
                plugin_loaded: A plugin was loaded.  (new event)
                  plugin  zip, tar
                  local noise: no (exact counts)
                No longer collected (stopped with this version): file_opened
                """);
    }

    @Test
    void telemetryWhatMarksTheNewItemsAndIsUnchangedWithoutChanges() {
        Catalog v2 = catalog(V2);
        String marked = CatalogDiff.describe(v2, CatalogDiff.between(catalog(V1), v2));
        assertThat(marked).contains("  command   hash, convert, count  [changed: waits for your OK]\n")
                .contains("  command  convert  [new: waits for your OK]\n")
                .contains("plugin_loaded: A plugin was loaded.  [new: waits for your OK]\n")
                .contains("  local noise: yes, ε = 1 (every value is sent, with noise)  [less noise: waits for your OK]\n")
                .endsWith("4 items marked [new: waits for your OK], [changed: waits for your OK] or"
                        + " [less noise: waits for your OK] are not counted until you agree.\n");
        assertThat(CatalogDiff.describe(v2, CatalogDiff.none())).isEqualTo(CatalogDiff.describe(v2));
    }
}
