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
 * An install that moves between versions at random, some of which only take items away from others, with a
 * yes now and then: whatever the record and its earlier copy hold, a run never records an item that would have
 * waited against the catalog the user last said yes to, and a version asks nothing when, against that
 * catalog, nothing of it would wait (going back to it above all).
 */
class AgreedCatalogPropertiesTest {

    @Property(tries = 150)
    void aRunRecordsOnlyWhatTheLastYesCoversAndAsksNothingThatItCovers(@ForAll long seed)
            throws IOException, CatalogException {
        Random random = new Random(seed);
        List<byte[]> versions = versions(random);
        Path root = Files.createTempDirectory("agreed-catalog");
        try {
            TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
            byte[] lastYes = versions.get(0);
            AgreedCatalog.save(paths, parse(lastYes), lastYes);
            StringBuilder story = new StringBuilder("yes to v0");
            for (int step = 0; step < 12; step++) {
                int v = random.nextInt(versions.size());
                byte[] file = versions.get(v);
                Catalog catalog = parse(file);
                if (random.nextInt(5) == 0) {
                    AgreedCatalog.save(paths, catalog, file);
                    lastYes = file;
                    story.append(", yes to v").append(v);
                    continue;
                }
                story.append(", run v").append(v);
                AgreedCatalog agreed = AgreedCatalog.read(paths, catalog, line -> { });
                Catalog saidYesTo = parse(lastYes);
                Set<String> allowed = CatalogDiffPropertiesTest.items(saidYesTo);
                for (EventSpec recorded : agreed.recordable().events()) {
                    assertThat(allowed).as("recorded beyond the last yes: %s", story)
                            .containsAll(CatalogDiffPropertiesTest.items(recorded));
                    EventSpec yes = saidYesTo.event(recorded.name());
                    if (yes.noised()) {
                        assertThat(recorded.noised()
                                && recorded.noiseEpsilon().compareTo(yes.noiseEpsilon()) <= 0)
                                .as("%s with less noise than the last yes: %s", recorded.name(), story).isTrue();
                    }
                }
                if (CatalogDiff.between(saidYesTo, catalog).waitingCount() == 0) {
                    assertThat(agreed.waitingCount()).as("asks what the last yes covers: %s", story).isZero();
                }
                if (agreed.waitingCount() == 0 && !agreed.current()) {
                    AgreedCatalog.saveWithoutAsking(paths, catalog, file); // what the start does then
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
