package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Dedupe under the appended layout, against a model (the set of ids stored so far): for any sequence of
 * batches drawn from a small pool of ids, so that repeats within a batch, across batches and across a reopen
 * all happen, every batch is answered with exactly the new ids as accepted and the rest as duplicates, and the
 * store holds each id once.
 */
class DedupeProperties {
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @Property(tries = 20)
    void everyBatchAcceptsExactlyTheIdsNotStoredBefore(@ForAll("batches") List<List<Integer>> batches) throws Exception {
        List<UUID> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(UUID.randomUUID());
        }
        Path data = Files.createTempDirectory("candor-dedupe");
        try {
            Set<UUID> stored = new HashSet<>();
            SqliteReportStore store = SqliteReportStore.open(data);
            try {
                for (int b = 0; b < batches.size(); b++) {
                    if (b == batches.size() / 2) {
                        store.close();
                        store = SqliteReportStore.open(data);
                    }
                    List<Report> batch = new ArrayList<>();
                    int fresh = 0;
                    Set<UUID> seenInBatch = new HashSet<>();
                    for (int index : batches.get(b)) {
                        UUID id = pool.get(index);
                        batch.add(StoredReports.report(id, "acme", DAY));
                        if (!stored.contains(id) && seenInBatch.add(id)) {
                            fresh++;
                        }
                    }
                    assertThat(store.storeAll(batch)).as("batch %s", b)
                            .isEqualTo(new StoreOutcome(fresh, batch.size() - fresh));
                    stored.addAll(seenInBatch);
                }
                assertThat(store.periods("acme")).isEqualTo(stored.isEmpty() ? List.of() : List.of(new PeriodCount(DAY, stored.size())));
            } finally {
                store.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<List<Integer>>> batches() {
        return Arbitraries.integers().between(0, 11).list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(6);
    }
}
