package dev.candor.server.rollup;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.store.ReportStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deletes raw reports once they are older than their app's catalog {@code retention_days}:
 * every period that started before the period holding {@code now - retention_days}. Rollups and
 * releases are kept. The rollup job runs first, so nothing is deleted before it is counted.
 */
public final class Retention {

    /** Raw reports of one app's period that are (or would be) deleted. */
    public record Expiry(String app, LocalDate period, long reports) {
        @Override
        public String toString() {
            return app + " " + period + ": " + reports + " raw report" + (reports == 1 ? "" : "s");
        }
    }

    private final ReportStore reports;
    private final Clock clock;

    public Retention(ReportStore reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    /** The first period of the catalog's app whose raw reports are still kept at {@code now}. */
    public static LocalDate firstKeptPeriod(Catalog catalog, Instant now) {
        return LocalDate.parse(catalog.period().idOf(now.minus(Duration.ofDays(catalog.retentionDays()))));
    }

    /** What {@link #apply()} would delete now, without deleting anything. */
    public List<Expiry> due() {
        List<Expiry> due = new ArrayList<>();
        for (Map.Entry<String, Catalog> app : CurrentCatalogs.load(reports).entrySet()) {
            LocalDate firstKept = firstKeptPeriod(app.getValue(), clock.instant());
            for (ReportStore.PeriodCount p : reports.periods(app.getKey())) {
                if (p.period().isBefore(firstKept)) {
                    due.add(new Expiry(app.getKey(), p.period(), p.reports()));
                }
            }
        }
        return due;
    }

    /** Deletes every app's raw reports past retention and says what went. */
    public List<Expiry> apply() {
        List<Expiry> due = due();
        for (Map.Entry<String, Catalog> app : CurrentCatalogs.load(reports).entrySet()) {
            if (due.stream().anyMatch(e -> e.app().equals(app.getKey()))) {
                reports.deleteReportsBefore(app.getKey(), firstKeptPeriod(app.getValue(), clock.instant()));
            }
        }
        return due;
    }
}
