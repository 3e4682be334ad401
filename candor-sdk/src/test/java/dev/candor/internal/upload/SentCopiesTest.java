package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The copies of sent reports that the outbox keeps in sent/ ({@link Outbox#sentReports}, {@link Outbox#keepSent}). */
class SentCopiesTest {
    @TempDir
    Path state;

    @Test
    void keepsTheExactBytesOfTheLastThirtyInTheOrderTheyWereSent() throws Exception {
        Outbox outbox = new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK);
        Path sent = state.resolve("sent");
        assertThat(Outbox.sentReports(state, SampleReports.APP)).isEmpty();
        List<ReportFile> added = new ArrayList<>();
        Instant sentAt = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 35; i++) {
            ReportFile report = SampleReports.add(outbox, "2026-11-24");
            outbox.keepSent(report);
            // File times have coarse resolution on some file systems: make the sending order explicit.
            Files.setLastModifiedTime(sent.resolve(report.fileName()), FileTime.from(sentAt.plusSeconds(i)));
            added.add(report);
        }
        List<ReportFile> kept = Outbox.sentReports(state, SampleReports.APP);
        assertThat(kept).extracting(ReportFile::fileName)
                .containsExactlyElementsOf(added.subList(5, 35).stream().map(ReportFile::fileName).toList());
        for (int i = 0; i < kept.size(); i++) {
            assertThat(kept.get(i).bytes()).isEqualTo(added.get(i + 5).bytes());
        }
        assertThat(kept.get(29).lastModified()).isEqualTo(sentAt.plusSeconds(34).toEpochMilli());
    }

    @Test
    void foreignFilesInSentAreIgnored() throws Exception {
        Path sent = state.resolve("sent");
        Files.createDirectories(sent);
        Files.writeString(sent.resolve("readme.txt"), "hello");
        Files.writeString(sent.resolve(".2026-11-24_x.json.1.tmp"), "{");
        // A report's name but 4 GiB (sparse): skipped unread, never loaded whole.
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(
                sent.resolve("2026-11-24_00000000-0000-4000-8000-000000000000.json").toFile(), "rw")) {
            huge.setLength(4L << 30);
        }
        assertThat(Outbox.sentReports(state, SampleReports.APP)).isEmpty();
    }
}
