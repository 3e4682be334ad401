package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** {@code telemetry what}: every event, field and allowed value of the catalog, readable. */
class CatalogDescriptionTest {

    private static Catalog acme() throws Exception {
        try (InputStream in = CatalogDescriptionTest.class.getResourceAsStream("/dev/candor/acme-catalog.json")) {
            return CatalogParser.parse(in.readAllBytes(), "acme-catalog.json");
        }
    }

    @Test
    void listsEveryEventFieldAndValueWithItsNoise() throws Exception {
        Catalog catalog = acme();
        String text = CatalogDiff.describe(catalog);
        for (EventSpec event : catalog.events()) {
            assertThat(text).contains(event.name() + ": " + event.description());
            for (FieldSpec field : event.fields()) {
                if (field.type() != FieldType.ERROR_TYPE) {
                    assertThat(text).contains(String.join(", ", field.values()));
                }
            }
        }
        assertThat(text).contains("duration  <100ms, 100ms-1s, 1s-5s, 5s-30s, >30s (how long it took, in buckets)")
                .contains("local noise: no (exact counts)")
                .contains("local noise: yes, ε = 1 (every value is sent, with noise)")
                .contains("Never the message.")
                .contains(catalog.events().size() + " events, " + catalog.totalCells() + " possible combinations")
                .contains(catalog.policyUrl())
                .endsWith("\n");
    }

    @Test
    void anEventsReviewIsNamedWhereverTheEventIsDescribed() {
        Catalog reviewed = CatalogDiffTest.catalog("""
                "plugin_loaded": {"description": "A plugin was loaded.", "review": "https://acme.example/issues/7",
                    "fields": {"plugin": {"type": "enum", "values": ["zip"]}}}
                """);
        String review = "  agreed in: https://acme.example/issues/7\n";
        assertThat(CatalogDiff.describe(reviewed)).contains("plugin_loaded: A plugin was loaded.\n  plugin  zip\n"
                + "  local noise: no (exact counts)\n" + review + "\n1 event, 1 possible combinations in all.\n");
        assertThat(CatalogDiff.describeChanges(reviewed, CatalogDiff.between(null, reviewed))).isEqualTo(
                "plugin_loaded: A plugin was loaded.  (new event)\n  plugin  zip\n  local noise: no (exact counts)\n" + review);
    }
}
