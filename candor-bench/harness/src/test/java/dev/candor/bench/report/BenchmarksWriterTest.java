package dev.candor.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchmarksWriterTest {
    private static final String BLOCK = BenchmarksWriter.BEGIN + "\nnew tables\n" + BenchmarksWriter.END;

    @Test
    void anEmptyFileGetsATitleAndTheBlock() {
        assertThat(BenchmarksWriter.merge("", BLOCK)).isEqualTo("# Benchmarks\n\n" + BLOCK + "\n");
    }

    @Test
    void notesOthersWroteAreKeptAndTheBlockIsAddedAfterThem() {
        String notes = "# Benchmarks\n\n## Ingest note\n\nGroup commit doubles throughput.\n";
        assertThat(BenchmarksWriter.merge(notes, BLOCK))
                .startsWith(notes.stripTrailing())
                .endsWith(BLOCK + "\n");
    }

    @Test
    void aSecondRunReplacesOnlyItsOwnBlock() {
        String before = "# Benchmarks\n\nintro\n\n" + BenchmarksWriter.BEGIN + "\nold tables\n" + BenchmarksWriter.END + "\n\n## Notes after\n";
        String after = BenchmarksWriter.merge(before, BLOCK);
        assertThat(after).isEqualTo("# Benchmarks\n\nintro\n\n" + BLOCK + "\n\n## Notes after\n");
        assertThat(after).doesNotContain("old tables");
    }
}
