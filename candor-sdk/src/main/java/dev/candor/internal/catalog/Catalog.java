package dev.candor.internal.catalog;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed and validated catalog (DESIGN §3): everything an app may ever collect. Only
 * {@link CatalogParser} makes one, so every {@code Catalog} obeys every rule. Immutable.
 */
public final class Catalog {
    /** How long one report's period lasts. Periods are in UTC. */
    public enum Period {
        /** A UTC day, named by its date: {@code 2026-11-24}. */
        DAY,
        /** An ISO week (Monday to Sunday, UTC), named by its Monday's date: {@code 2026-11-23}. */
        WEEK;

        /** The catalog's name for it: {@code "day"} or {@code "week"}. */
        public String jsonName() {
            return this == DAY ? "day" : "week";
        }

        /** The id of the period that holds {@code instant}. */
        public String idOf(Instant instant) {
            LocalDate date = instant.atOffset(ZoneOffset.UTC).toLocalDate();
            if (this == WEEK) {
                date = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            }
            return date.toString();
        }

        /** When the period with this id starts; throws IllegalArgumentException for a malformed id. */
        public Instant start(String id) {
            return firstDay(id).atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        /** When the period with this id ends (exclusive): the start of the next period. */
        public Instant end(String id) {
            LocalDate first = firstDay(id);
            return (this == DAY ? first.plusDays(1) : first.plusWeeks(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        /** Whether {@code id} names a period of this kind ({@code yyyy-mm-dd}, a Monday for weeks). */
        public boolean isId(String id) {
            try {
                firstDay(id);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** {@code [0-9]{4}-[0-9]{2}-[0-9]{2}}, checked by hand (the collector asks for every report it receives). */
        private static boolean looksLikeDate(String id) {
            if (id == null || id.length() != 10) {
                return false;
            }
            for (int i = 0; i < 10; i++) {
                char c = id.charAt(i);
                if (i == 4 || i == 7 ? c != '-' : c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }

        private LocalDate firstDay(String id) {
            if (!looksLikeDate(id)) {
                throw new IllegalArgumentException("not a period id (yyyy-mm-dd): " + id);
            }
            LocalDate date;
            try {
                date = LocalDate.parse(id);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a period id (yyyy-mm-dd): " + id, e);
            }
            if (this == WEEK && date.getDayOfWeek() != DayOfWeek.MONDAY) {
                throw new IllegalArgumentException("a week is named by its Monday; " + id + " is a " + date.getDayOfWeek());
            }
            return date;
        }
    }

    private final String app;
    private final String title;
    private final String owner;
    private final String policyUrl;
    private final String endpoint;
    private final Period period;
    private final int retentionDays;
    private final int maxPerCell;
    private final List<String> packages;
    private final List<EventSpec> events;
    private final List<String> warnings;
    private final String sha256;

    Catalog(String app, String title, String owner, String policyUrl, String endpoint, Period period,
            int retentionDays, int maxPerCell, List<String> packages, List<EventSpec> events,
            List<String> warnings, String sha256) {
        this.app = app;
        this.title = title;
        this.owner = owner;
        this.policyUrl = policyUrl;
        this.endpoint = endpoint;
        this.period = period;
        this.retentionDays = retentionDays;
        this.maxPerCell = maxPerCell;
        this.packages = Collections.unmodifiableList(new ArrayList<>(packages));
        this.events = Collections.unmodifiableList(new ArrayList<>(events));
        this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
        this.sha256 = sha256;
    }

    /** The app's name, e.g. {@code acme}: lower case, used in variable names and paths. */
    public String app() {
        return app;
    }

    public String title() {
        return title;
    }

    public String owner() {
        return owner;
    }

    public String policyUrl() {
        return policyUrl;
    }

    /** Where reports go, unless {@code <APP>_TELEMETRY_ENDPOINT} overrides it. */
    public String endpoint() {
        return endpoint;
    }

    public Period period() {
        return period;
    }

    /** How long the collector keeps raw reports (default 90). */
    public int retentionDays() {
        return retentionDays;
    }

    /** The most one install reports for one cell in one period (default 100). */
    public int maxPerCell() {
        return maxPerCell;
    }

    /**
     * The app's own Java packages (catalog key {@code "packages"}): error types from these packages
     * are reported by class name, like {@code java.*} and {@code javax.*}.
     */
    public List<String> packages() {
        return packages;
    }

    /** The events in catalog order. */
    public List<EventSpec> events() {
        return events;
    }

    /** The event with this name, or null. */
    public EventSpec event(String name) {
        for (EventSpec e : events) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The cells of all events together, as counted against the limit of 2,000. */
    public long totalCells() {
        long n = 0;
        for (EventSpec e : events) {
            n += e.cellCount();
        }
        return n;
    }

    /** Advice that does not stop the catalog from being used, each line naming file and path. */
    public List<String> warnings() {
        return warnings;
    }

    /** The SHA-256 of the exact catalog file bytes, lower-case hex; reports name it. */
    public String sha256() {
        return sha256;
    }
}
