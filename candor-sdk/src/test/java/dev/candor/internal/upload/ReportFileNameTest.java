package dev.candor.internal.upload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFileNameTest {
    private static final String ID = "7f1c9e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

    @Test
    void aNameSaysThePeriodAndTheReportId() {
        ReportFile report = new ReportFile(Path.of("outbox", "2026-11-24_" + ID + ".json"), new byte[0], 0);
        assertThat(report.fileName()).isEqualTo("2026-11-24_" + ID + ".json");
        assertThat(report.period()).isEqualTo("2026-11-24");
        assertThat(report.reportId()).isEqualTo(ID);
        assertThat(ReportFile.isReportName("2026-02-28_" + ID + ".json")).isTrue();
        assertThat(ReportFile.isReportName("2024-02-29_" + ID + ".json")).as("a leap day").isTrue();
    }

    @Test
    void namesThatAreNotReportsDoNotParse() {
        for (String bad : new String[] {
                "2026-11-24_" + ID + ".jsn", "2026-11-24-" + ID + ".json", "2026-13-01_" + ID + ".json",
                "2026-02-30_" + ID + ".json", "26-11-24_" + ID + ".json", "2026-11-24_" + ID.toUpperCase() + ".json",
                "2026-11-24_" + ID.substring(1) + ".json", "2026-11-24_.json", "notes.txt", "2026-W48_" + ID + ".json",
                "../2026-11-24_" + ID + ".json", "2026-11-24_" + ID + ".json.tmp", "2026-11-24_" + ID + "0.json",
                "+026-11-24_" + ID + ".json", "2026-1-024_" + ID + ".json", "2026-11-24_" + ID.replace('-', '0') + ".json",
                "2026-11-24_" + ID.replace('f', 'g') + ".json"}) {
            assertThat(ReportFile.isReportName(bad)).as(bad).isFalse();
        }
    }

    @Test
    void writesInProgressAreRecognisedByName() {
        assertThat(ReportFile.isTemporary(".2026-11-24_" + ID + ".json.1a2b.tmp")).isTrue();
        assertThat(ReportFile.isTemporary("2026-11-24_" + ID + ".json.tmp")).isTrue();
        assertThat(ReportFile.isTemporary("2026-11-24_" + ID + ".json")).isFalse();
    }
}
