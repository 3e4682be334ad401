package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.internal.catalog.Catalog.Period;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
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

    /** The plain-long arithmetic names the same period as java.time, from year 0 to 9999. */
    @Property(tries = 2000)
    void idsAgreeWithJavaTime(@ForAll @LongRange(min = -62_167_219_200_000L, max = 253_402_300_799_999L) long millis) {
        LocalDate date = Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalDate();
        assertThat(Period.DAY.idOfMillis(millis)).isEqualTo(date.toString());
        LocalDate monday = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        if (monday.getYear() >= 0) {
            assertThat(Period.WEEK.idOfMillis(millis)).isEqualTo(monday.toString());
            assertThat(Period.WEEK.start(monday.toString())).isEqualTo(monday.atStartOfDay(ZoneOffset.UTC).toInstant());
            assertThat(Period.WEEK.end(monday.toString()))
                    .isEqualTo(monday.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        assertThat(Period.DAY.start(date.toString())).isEqualTo(date.atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(Period.DAY.end(date.toString())).isEqualTo(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** A text is an id exactly when java.time reads it as a date (including February 29th of leap years only). */
    @Property(tries = 2000)
    void idCheckAgreesWithJavaTime(@ForAll @IntRange(min = 0, max = 9999) int year, @ForAll @IntRange(min = 0, max = 13) int month,
                                   @ForAll @IntRange(min = 0, max = 32) int day) {
        String id = String.format("%04d-%02d-%02d", year, month, day);
        boolean valid;
        try {
            LocalDate.parse(id);
            valid = true;
        } catch (DateTimeParseException e) {
            valid = false;
        }
        assertThat(Period.DAY.isId(id)).as(id).isEqualTo(valid);
        assertThat(Period.WEEK.isId(id)).as(id).isEqualTo(valid && LocalDate.parse(id).getDayOfWeek() == DayOfWeek.MONDAY);
    }

    @Test
    void malformedIdsAreRefused() {
        for (String id : new String[] {"2026-1-24", "2026-11-2x", "+2026-11-24", "2026/11/24", "2026-11-24 ", "", "２０２６-11-24"}) {
            assertThat(Period.DAY.isId(id)).as(id).isFalse();
        }
        assertThatThrownBy(() -> Period.WEEK.start("2026-11-24")).hasMessage("a week is named by its Monday; 2026-11-24 is a TUESDAY");
    }
}
