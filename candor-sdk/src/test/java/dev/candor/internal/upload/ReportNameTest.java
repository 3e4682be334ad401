package dev.candor.internal.upload;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportNameTest {
    private static final String ID = "7f1c9e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

    @Test
    void aNameSaysThePeriodAndTheReportId() {
        ReportName name = ReportName.parse("2026-11-24_" + ID + ".json");
        assertThat(name).isNotNull();
        assertThat(name.period()).isEqualTo("2026-11-24");
        assertThat(name.reportId()).isEqualTo(ID);
        assertThat(name.firstDay()).isEqualTo(LocalDate.of(2026, 11, 24));
    }

    @Test
    void namesThatAreNotReportsDoNotParse() {
        for (String bad : new String[] {
                "2026-11-24_" + ID + ".jsn", "2026-11-24-" + ID + ".json", "2026-13-01_" + ID + ".json",
                "2026-02-30_" + ID + ".json", "26-11-24_" + ID + ".json", "2026-11-24_" + ID.toUpperCase() + ".json",
                "2026-11-24_" + ID.substring(1) + ".json", "2026-11-24_.json", "notes.txt", "2026-W48_" + ID + ".json",
                "../2026-11-24_" + ID + ".json", "2026-11-24_" + ID + ".json.tmp"}) {
            assertThat(ReportName.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void writesInProgressAreRecognisedByName() {
        assertThat(ReportName.isTemporary(".2026-11-24_" + ID + ".json.1a2b.tmp")).isTrue();
        assertThat(ReportName.isTemporary("2026-11-24_" + ID + ".json.tmp")).isTrue();
        assertThat(ReportName.isTemporary("2026-11-24_" + ID + ".json")).isFalse();
    }

    @Test
    void aNameIsBuiltOnlyFromAValidPeriodAndId() {
        assertThat(ReportName.of("2026-11-24", ID)).isEqualTo("2026-11-24_" + ID + ".json");
        assertThatThrownBy(() -> ReportName.of("yesterday", ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday_" + ID + ".json").hasMessageContaining("a date such as 2026-11-24");
    }
}
