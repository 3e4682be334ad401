package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.candor.internal.upload.SampleReports.APP;
import static dev.candor.internal.upload.SampleReports.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {
    @TempDir
    Path state;

    private Outbox outbox() {
        return new Outbox(state, APP, Catalog.Period.DAY, CLOCK);
    }

    private static String daysAgo(int days) {
        return LocalDate.of(2026, 11, 25).minusDays(days).toString();
    }

    private List<String> filesInOutbox() throws Exception {
        List<String> names = new ArrayList<>();
        try (var stream = Files.list(state.resolve("outbox"))) {
            stream.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    @Test
    void aMissingOutboxIsEmptyAndIsNotCreated() {
        Outbox outbox = outbox();
        assertThat(outbox.hasReports()).isFalse();
        assertThat(SampleReports.scan(outbox).pending()).isEmpty();
        assertThat(state.resolve("outbox")).doesNotExist();
    }

    @Test
    void aReportIsListedWithItsExactBytes() throws Exception {
        Outbox outbox = outbox();
        ReportFile added = SampleReports.add(outbox, "2026-11-24");
        assertThat(outbox.hasReports()).isTrue();
        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.removed()).isEmpty();
        assertThat(scan.pending()).hasSize(1);
        ReportFile listed = scan.pending().get(0);
        assertThat(listed.fileName()).isEqualTo(added.fileName());
        assertThat(listed.period()).isEqualTo("2026-11-24");
        assertThat(listed.bytes()).isEqualTo(added.bytes());
    }

    @Test
    void atMostThirtyReportsStayAndTheOldestGoFirst() throws Exception {
        Outbox outbox = outbox();
        List<ReportFile> added = new ArrayList<>();
        for (int age = 20; age >= 1; age--) {
            added.add(SampleReports.add(outbox, daysAgo(age)));
            added.add(SampleReports.add(outbox, daysAgo(age)));
        }
        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).hasSize(Outbox.MAX_REPORTS);
        assertThat(scan.removed()).hasSize(10).allSatisfy(o -> {
            assertThat(o.kind()).isEqualTo(ReportOutcome.DROPPED);
            assertThat(o.reason()).contains("more than 30 reports");
        });
        // The removed ones are the five oldest periods; the pending ones are sorted oldest first.
        assertThat(scan.removed()).extracting(ReportOutcome::fileName)
                .allSatisfy(name -> assertThat(name.substring(0, 10)).isLessThanOrEqualTo(daysAgo(16)));
        assertThat(scan.pending().get(0).period()).isEqualTo(daysAgo(15));
        assertThat(scan.pending().get(29).period()).isEqualTo(daysAgo(1));
        assertThat(filesInOutbox()).hasSize(30);
    }

    @Test
    void atMostOneMebibyteStaysAndTheOldestGoFirst() throws Exception {
        Outbox outbox = outbox();
        // Five reports of about 300 KB each: only three fit in 1 MiB.
        List<String> names = new ArrayList<>();
        for (int age = 5; age >= 1; age--) {
            String id = SampleReports.newId();
            byte[] bytes = SampleReports.report(APP, daysAgo(age), id, 5_000);
            assertThat(bytes.length).isBetween(250_000, 340_000);
            names.add(SampleReports.put(outbox, daysAgo(age), id, bytes).getFileName().toString());
        }
        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).extracting(ReportFile::fileName).containsExactlyElementsOf(names.subList(2, 5));
        assertThat(scan.removed()).extracting(ReportOutcome::fileName).containsExactlyElementsOf(names.subList(0, 2));
        assertThat(scan.removed()).allSatisfy(o -> assertThat(o.reason()).contains("more than 1 MiB"));
        assertThat(scan.pending().stream().mapToLong(ReportFile::size).sum()).isLessThanOrEqualTo(Outbox.MAX_BYTES);
    }

    @Test
    void aSingleReportLargerThanOneMebibyteIsRemoved() throws Exception {
        Outbox outbox = outbox();
        String id = SampleReports.newId();
        SampleReports.put(outbox, "2026-11-24", id, SampleReports.report(APP, "2026-11-24", id, 20_000));
        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).isEmpty();
        assertThat(scan.removed()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("larger than 1 MiB"));
        assertThat(filesInOutbox()).isEmpty();
    }

    @Test
    void aReportWhosePeriodEndedMoreThan21DaysAgoIsRemovedAndNeverSent() throws Exception {
        Outbox outbox = outbox();
        ReportFile lastChance = SampleReports.add(outbox, daysAgo(21));
        ReportFile tooOld = SampleReports.add(outbox, daysAgo(22));
        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).extracting(ReportFile::fileName).containsExactly(lastChance.fileName());
        assertThat(scan.removed()).extracting(ReportOutcome::fileName).containsExactly(tooOld.fileName());
        assertThat(scan.removed()).allSatisfy(o -> assertThat(o.reason()).contains("more than 21 days ago"));
    }

    @Test
    void aWeekIsOldByTheEndOfTheWeekAndNamedByItsMonday() throws Exception {
        Outbox weekly = new Outbox(state, APP, Catalog.Period.WEEK, CLOCK);
        // Now is Wednesday 2026-11-25. Named by a date 30 days ago, but the week ended 24 days ago: too old.
        ReportFile tooOld = SampleReports.add(weekly, "2026-10-26");
        // Named 23 days ago (more than 21 for a daily report), but the week ended Sunday 2026-11-08, 17 days ago.
        ReportFile lastChance = SampleReports.add(weekly, "2026-11-02");
        ReportFile recentWeek = SampleReports.add(weekly, "2026-11-16");
        ReportFile notAMonday = SampleReports.add(weekly, "2026-11-24"); // a Tuesday
        SampleReports.Scan scan = SampleReports.scan(weekly);
        assertThat(scan.pending()).extracting(ReportFile::fileName).containsExactly(lastChance.fileName(), recentWeek.fileName());
        assertThat(scan.removed()).extracting(o -> o.fileName() + ": " + o.reason()).containsExactlyInAnyOrder(
                tooOld.fileName() + ": its period ended more than 21 days ago",
                notAMonday.fileName() + ": not a report of acme: a week is named by its Monday; 2026-11-24 is a TUESDAY");
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRemovedNeverFatal() throws Exception {
        Outbox outbox = outbox();
        ReportFile good = SampleReports.add(outbox, "2026-11-24");
        Path dir = outbox.directory();
        String id = SampleReports.newId();
        byte[] whole = SampleReports.report("2026-11-23", id);
        Files.write(dir.resolve("2026-11-23_" + id + ".json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.write(dir.resolve("2026-11-22_" + SampleReports.newId() + ".json"), new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'});
        Files.write(dir.resolve("2026-11-21_" + SampleReports.newId() + ".json"), new byte[0]);
        Files.writeString(dir.resolve("2026-11-20_" + SampleReports.newId() + ".json"), "[1, 2, 3]");
        Files.writeString(dir.resolve("notes.txt"), "not a report");
        Files.writeString(dir.resolve("2026-11-24.json"), "{}");
        Files.createDirectory(dir.resolve("a-directory"));

        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).extracting(ReportFile::fileName).containsExactly(good.fileName());
        assertThat(scan.removed()).hasSize(6).allSatisfy(o -> assertThat(o.kind()).isEqualTo(ReportOutcome.DROPPED));
        assertThat(scan.removed()).filteredOn(o -> o.fileName().equals("notes.txt")).singleElement()
                .satisfies(o -> assertThat(o.reason()).contains("expected <period>_<report_id>.json"));
        assertThat(scan.removed()).filteredOn(o -> o.fileName().startsWith("2026-11-23")).singleElement()
                .satisfies(o -> assertThat(o.reason()).startsWith("not a report of acme"));
        assertThat(filesInOutbox()).containsExactlyInAnyOrder(good.fileName(), "a-directory");
    }

    /**
     * Reports of another wire format or with names that do not match are removed, with the reason; a report of
     * another app (two apps given the same folder) is that app's: neither sent nor removed.
     */
    @Test
    void reportsOfAnotherVersionOrNameAreRemovedWithTheReasonAndAnotherAppsAreLeftAlone() throws Exception {
        Outbox outbox = outbox();
        Path dir = Files.createDirectories(outbox.directory());
        String other = SampleReports.newId();
        Files.write(dir.resolve("2026-11-24_" + other + ".json"), SampleReports.report("zeta", "2026-11-24", other, 0));
        String future = SampleReports.newId();
        Files.writeString(dir.resolve("2026-11-24_" + future + ".json"),
                new String(SampleReports.report("2026-11-24", future), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2"));
        String renamed = SampleReports.newId();
        String insideRenamed = SampleReports.newId();
        Files.write(dir.resolve("2026-11-24_" + renamed + ".json"), SampleReports.report("2026-11-24", insideRenamed));
        String movedPeriod = SampleReports.newId();
        Files.write(dir.resolve("2026-11-23_" + movedPeriod + ".json"), SampleReports.report("2026-11-24", movedPeriod));
        String noCounts = SampleReports.newId();
        Files.writeString(dir.resolve("2026-11-24_" + noCounts + ".json"),
                "{\"v\":1,\"report_id\":\"" + noCounts + "\",\"app\":\"acme\",\"period\":\"2026-11-24\"}");
        String duplicateKey = SampleReports.newId();
        Files.writeString(dir.resolve("2026-11-24_" + duplicateKey + ".json"),
                new String(SampleReports.report("2026-11-24", duplicateKey), StandardCharsets.UTF_8).replace("{\"v\":1,", "{\"v\":1,\"v\":1,"));

        String duplicateKeyReason;
        try {
            dev.candor.internal.json.Json.parse("{\"v\":1,\"v\":1}");
            throw new AssertionError("Json accepted a duplicate key");
        } catch (dev.candor.internal.json.JsonException e) {
            duplicateKeyReason = e.reason() + " at line 1, column " + (e.column());
        }

        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).isEmpty();
        assertThat(scan.removed()).extracting(o -> o.fileName().substring(11, 47) + " " + o.reason()).containsExactlyInAnyOrder(
                future + " not a report of acme: wire format \"v\": 2, this SDK sends only v 1",
                renamed + " not a report of acme: its report_id \"" + insideRenamed + "\" does not match the file name",
                movedPeriod + " not a report of acme: its period \"2026-11-24\" does not match the file name",
                noCounts + " not a report of acme: it has no \"counts\" object",
                duplicateKey + " not a report of acme: not JSON (" + duplicateKeyReason + ")");
        assertThat(filesInOutbox()).containsExactly("2026-11-24_" + other + ".json");
    }

    @Test
    void aWriteInProgressIsInvisibleUntilRenamedAndRemovedOnlyWhenAbandoned() throws Exception {
        Outbox outbox = outbox();
        Path dir = Files.createDirectories(outbox.directory());
        String id = SampleReports.newId();
        byte[] whole = SampleReports.report("2026-11-24", id);
        Path fresh = dir.resolve(".2026-11-24_" + id + ".json.77.tmp");
        Files.write(fresh, java.util.Arrays.copyOf(whole, 100));
        Path abandoned = dir.resolve(".2026-11-23_" + SampleReports.newId() + ".json.78.tmp");
        Files.write(abandoned, new byte[] {'{'});
        // Temporary files are judged by the real clock, which also stamps file times.
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minusSeconds(2 * 3600)));

        assertThat(outbox.hasReports()).isFalse();
        SampleReports.Scan scan = SampleReports.scan(outbox);
        assertThat(scan.pending()).isEmpty();
        assertThat(scan.removed()).extracting(ReportOutcome::fileName).containsExactly(abandoned.getFileName().toString());
        assertThat(fresh).exists();

        Files.write(fresh, whole);
        Files.move(fresh, dir.resolve("2026-11-24_" + id + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(SampleReports.scan(outbox).pending()).extracting(ReportFile::reportId).containsExactly(id);
    }

    @Test
    void writeAtomicallyWritesTheExactBytesAndLeavesNoTemporaryFile() throws Exception {
        Outbox outbox = outbox();
        String id = SampleReports.newId();
        Path path = outbox.directory().resolve("2026-11-24_" + id + ".json");
        Outbox.writeAtomically(path, SampleReports.report("2026-11-24", "old"));
        Outbox.writeAtomically(path, SampleReports.report("2026-11-24", id));
        assertThat(Files.readAllBytes(path)).isEqualTo(SampleReports.report("2026-11-24", id));
        assertThat(filesInOutbox()).containsExactly(path.getFileName().toString());
    }

    @Test
    void onlyReportNamesCountAsSomethingToSend() throws Exception {
        Outbox outbox = outbox();
        Files.createDirectories(outbox.directory().resolve("a-directory"));
        Files.writeString(outbox.directory().resolve("notes.txt"), "hello");
        assertThat(outbox.hasReports()).isFalse();
        SampleReports.add(outbox, "2026-11-24");
        assertThat(outbox.hasReports()).isTrue();
    }
}
