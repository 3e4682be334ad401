package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.internal.catalog.Catalog.Period;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodTest {
    @Test
    void daysAreUtcDates() {
        assertThat(Period.DAY.idOf(Instant.parse("2026-11-24T23:59:59.999Z"))).isEqualTo("2026-11-24");
        assertThat(Period.DAY.idOf(Instant.parse("2026-11-25T00:00:00Z"))).isEqualTo("2026-11-25");
        assertThat(Period.DAY.start("2026-11-24")).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(Period.DAY.end("2026-11-24")).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void weeksAreNamedByTheirMonday() {
        // 2026-11-23 is a Monday; 2026-11-29 the Sunday of the same ISO week.
        assertThat(Period.WEEK.idOf(Instant.parse("2026-11-29T23:00:00Z"))).isEqualTo("2026-11-23");
        assertThat(Period.WEEK.idOf(Instant.parse("2026-11-23T00:00:00Z"))).isEqualTo("2026-11-23");
        assertThat(Period.WEEK.idOf(Instant.parse("2026-11-22T23:59:59Z"))).isEqualTo("2026-11-16");
        assertThat(Period.WEEK.end("2026-11-23")).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        // Across a year boundary: 2027-01-01 is a Friday in the week of Monday 2026-12-28.
        assertThat(Period.WEEK.idOf(Instant.parse("2027-01-01T12:00:00Z"))).isEqualTo("2026-12-28");
    }

    @Test
    void idsAreChecked() {
        assertThat(Period.DAY.isId("2026-11-24")).isTrue();
        assertThat(Period.WEEK.isId("2026-11-24")).isFalse();
        assertThat(Period.DAY.isId("2026-02-30")).isFalse();
        assertThat(Period.DAY.isId("../x")).isFalse();
        assertThat(Period.DAY.isId(null)).isFalse();
        assertThatThrownBy(() -> Period.WEEK.start("2026-11-24")).hasMessageContaining("named by its Monday");
    }
}
