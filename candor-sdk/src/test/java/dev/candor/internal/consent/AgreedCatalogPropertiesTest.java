package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogDiffPropertiesTest;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.context.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * An install that moves between versions at random, some of which only take items away from others, with
 * answers now and then (a yes or a no to what waits, {@code telemetry enable}, {@code telemetry disable}):
 * whatever the record and its earlier copy hold, a run never records an item beyond the ceiling, the catalog
 * of the last yes (after a no: the record the no kept), and while no no or disable has come since the last
 * yes, a version asks nothing when nothing of it would wait against that yes (going back to it above all).
 */
class AgreedCatalogPropertiesTest {

    @Property(tries = 200)
    void aRunRecordsNothingBeyondTheLastAnswerAndAsksNothingTheLastYesCovers(@ForAll long seed)
            throws IOException, CatalogException {
        Random random = new Random(seed);
        List<byte[]> versions = versions(random);
        Path root = Files.createTempDirectory("agreed-catalog");
        try {
            TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
            Catalog ceiling = parse(versions.get(0));
            AgreedCatalog.save(paths, ceiling, versions.get(0));
            boolean onlyYesSince = true;
            StringBuilder story = new StringBuilder("yes to v0");
            for (int step = 0; step < 14; step++) {
                int v = random.nextInt(versions.size());
                byte[] file = versions.get(v);
                Catalog catalog = parse(file);
                int action = random.nextInt(6);
                if (action == 0) {
                    story.append(", enable v").append(v);
                    AgreedCatalog.save(paths, catalog, file);
                    ceiling = catalog;
                    onlyYesSince = true;
                    continue;
                }
                if (action == 1) {
                    story.append(", disable");
                    AgreedCatalog.forgetEarlier(paths);
                    onlyYesSince = false;
                    continue;
                }
                story.append(", run v").append(v);
                AgreedCatalog agreed = AgreedCatalog.read(paths, catalog, line -> { });
                assertRecordsNothingBeyond(ceiling, agreed.recordable(), story);
                if (onlyYesSince && CatalogDiff.between(ceiling, catalog).waitingCount() == 0) {
                    assertThat(agreed.waitingCount()).as("asks what the last yes covers: %s", story).isZero();
                }
                if (agreed.waitingCount() == 0) {
                    agreed.recordWithoutAsking(paths, catalog, file); // what the start does then
                } else if (random.nextBoolean()) {
                    if (random.nextBoolean()) {
                        story.append(" (yes)");
                        AgreedCatalog.save(paths, catalog, file);
                        ceiling = catalog;
                        onlyYesSince = true;
                    } else {
                        story.append(" (no)");
                        AgreedCatalog.saveDeclined(paths, catalog);
                        ceiling = parse(Files.readAllBytes(AgreedCatalog.file(paths)));
                        onlyYesSince = false;
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each event {@code recordable} records holds only items of {@code ceiling}'s, and at least its noise. */
    private static void assertRecordsNothingBeyond(Catalog ceiling, Catalog recordable, CharSequence story) {
        Set<String> allowed = CatalogDiffPropertiesTest.items(ceiling);
        for (EventSpec recorded : recordable.events()) {
            assertThat(allowed).as("recorded beyond the last answer: %s", story)
                    .containsAll(CatalogDiffPropertiesTest.items(recorded));
            EventSpec agreed = ceiling.event(recorded.name());
            if (agreed.noised()) {
                assertThat(recorded.noised() && recorded.noiseEpsilon().compareTo(agreed.noiseEpsilon()) <= 0)
                        .as("%s with less noise than the last answer: %s", recorded.name(), story).isTrue();
            }
        }
    }

    /**
     * Five catalog files: v0, v1 and v2 each taking items away from the one before (an app's releases read
     * backwards), v3 taking away from v0 along another path, and v4 drawn on its own.
     */
    private static List<byte[]> versions(Random random) {
        Map<String, Object> v0 = CatalogDiffPropertiesTest.randomEvents(random);
        Map<String, Object> v1 = CatalogDiffPropertiesTest.takeAway(v0, random);
        Map<String, Object> v2 = CatalogDiffPropertiesTest.takeAway(v1, random);
        Map<String, Object> v3 = CatalogDiffPropertiesTest.takeAway(v0, random);
        Map<String, Object> v4 = CatalogDiffPropertiesTest.randomEvents(random);
        List<byte[]> files = new ArrayList<>();
        for (Map<String, Object> model : List.of(v0, v1, v2, v3, v4)) {
            files.add(CatalogDiffPropertiesTest.catalogFile(model, random));
        }
        return files;
    }

    private static Catalog parse(byte[] file) throws CatalogException {
        return CatalogParser.parse(file, "catalog.json");
    }
}
