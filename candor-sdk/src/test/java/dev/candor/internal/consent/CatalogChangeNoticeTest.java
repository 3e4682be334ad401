package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The what's-new question's text and the waiting line, word for word. */
class CatalogChangeNoticeTest {
    private static Catalog catalog(String events) throws Exception {
        String json = "{\"catalog\": 1, \"app\": \"acme\", \"title\": \"Acme file toolkit\", \"owner\": \"Acme people\","
                + " \"policy_url\": \"https://acme.example/telemetry\","
                + " \"endpoint\": \"http://localhost:8080/v1/reports\", \"events\": {" + events + "}}";
        return CatalogParser.parse(json.getBytes(StandardCharsets.UTF_8), "catalog.json");
    }

    @Test
    void theNoticeShowsOnlyTheChangesAndTheWaysOnOrOff() throws Exception {
        Catalog v1 = catalog("\"command_run\": {\"description\": \"A command finished.\","
                + " \"fields\": {\"command\": {\"type\": \"enum\", \"values\": [\"hash\"]}}}");
        Catalog v2 = catalog("\"command_run\": {\"description\": \"A command finished.\","
                + " \"fields\": {\"command\": {\"type\": \"enum\", \"values\": [\"hash\"]}}},"
                + " \"plugin_loaded\": {\"description\": \"A plugin was loaded.\","
                + " \"fields\": {\"plugin\": {\"type\": \"enum\", \"values\": [\"zip\"]}}}");
        CatalogDiff diff = CatalogDiff.between(v1, v2);
        String nl = System.lineSeparator();
        assertThat(CatalogChangeNotice.render(v2, diff, "acme", "2.0.0", Mode.ON)).isEqualTo((""
                + "What's new in Acme file toolkit's telemetry (acme 2.0.0):\n"
                + "This version can count more than you agreed to. Nothing new is counted until you say yes;\n"
                + "what you agreed to before is still counted either way (telemetry stays on).\n"
                + "\n"
                + "  plugin_loaded: A plugin was loaded.  (new event)\n"
                + "    plugin  zip\n"
                + "    local noise: no (exact counts)\n"
                + "\n"
                + "  See it again: acme telemetry what --new\n"
                + "  Accept later: acme telemetry enable\n"
                + "  Turn telemetry off: acme telemetry disable\n").replace("\n", nl));
        assertThat(CatalogChangeNotice.render(v2, diff, "acme", " ", Mode.LOCAL))
                .startsWith(("What's new in Acme file toolkit's telemetry:\n").replace("\n", nl))
                .contains("(telemetry stays local)")
                .contains(("  Accept later: acme telemetry local\n").replace("\n", nl));
    }

    @Test
    void theWaitingLineSaysHowManyAndWhatToDo() {
        assertThat(CatalogChangeNotice.waitingLine(1, "acme", Mode.ON)).isEqualTo("1 new telemetry item waits for your OK"
                + " and is not counted: review with `acme telemetry what --new`, accept with `acme telemetry enable`");
        assertThat(CatalogChangeNotice.waitingLine(2, "acme", Mode.LOCAL)).isEqualTo("2 new telemetry items wait for your"
                + " OK and are not counted: review with `acme telemetry what --new`, accept with `acme telemetry local`");
    }
}
