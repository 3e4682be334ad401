package dev.candor.internal.catalog;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The kinds of field a catalog may declare. Every kind has a small, closed (or, for
 * {@link #ERROR_TYPE}, bounded) set of values, so nothing a user typed, no path and no message can
 * ever be collected: there is deliberately no free-text kind.
 */
public enum FieldType {
    /** One of the values the catalog lists. */
    ENUM("enum"),
    /** {@code true} or {@code false} (written as JSON booleans in a report). */
    BOOLEAN("boolean"),
    /** A time span reduced to one of {@link #DURATION_BUCKETS}. */
    DURATION("duration"),
    /** A quantity reduced to one of {@link #COUNT_BUCKETS}. */
    COUNT("count"),
    /**
     * A throwable's class name, kept only for {@code java.*}, {@code javax.*} and the app's own
     * packages, else {@code "other"} (see {@link ErrorTypes}). Class names are not a closed set, so
     * an install reports at most {@link #ERROR_TYPE_LIMIT} distinct ones per period and the field
     * counts as {@code ERROR_TYPE_LIMIT + 1} values in the catalog's cell limit.
     */
    ERROR_TYPE("error_type");

    /** The buckets of a {@link #DURATION} field, shortest first. */
    public static final List<String> DURATION_BUCKETS =
            Collections.unmodifiableList(Arrays.asList("<100ms", "100ms-1s", "1s-5s", "5s-30s", ">30s"));
    /** The buckets of a {@link #COUNT} field, smallest first. */
    public static final List<String> COUNT_BUCKETS =
            Collections.unmodifiableList(Arrays.asList("0", "1", "2-5", "6-20", "21-100", ">100"));
    /** The values of a {@link #BOOLEAN} field as cell values. */
    public static final List<String> BOOLEAN_VALUES = Collections.unmodifiableList(Arrays.asList("true", "false"));
    /** How many distinct error types (besides {@code "other"}) one install reports per period. */
    public static final int ERROR_TYPE_LIMIT = 20;

    private final String jsonName;

    FieldType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in the catalog's {@code "type"}, e.g. {@code "error_type"}. */
    public String jsonName() {
        return jsonName;
    }

    /** The type with this catalog name, or null. */
    public static FieldType fromJsonName(String name) {
        for (FieldType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The fixed values of this type; empty for {@link #ENUM} (declared) and {@link #ERROR_TYPE} (open). */
    public List<String> fixedValues() {
        // ifs, not a switch on the enum: that would compile to one more class (a switch map)
        if (this == BOOLEAN) {
            return BOOLEAN_VALUES;
        }
        if (this == DURATION) {
            return DURATION_BUCKETS;
        }
        return this == COUNT ? COUNT_BUCKETS : Collections.emptyList();
    }

    /** The duration bucket of a span in nanoseconds; negative spans count as the shortest bucket. */
    public static String durationBucket(long nanos) {
        if (nanos < 100_000_000L) {
            return "<100ms";
        } else if (nanos < 1_000_000_000L) {
            return "100ms-1s";
        } else if (nanos < 5_000_000_000L) {
            return "1s-5s";
        } else if (nanos < 30_000_000_000L) {
            return "5s-30s";
        }
        return ">30s";
    }

    /** The count bucket of a quantity; negative quantities count as {@code "0"}. */
    public static String countBucket(long n) {
        if (n <= 0) {
            return "0";
        } else if (n == 1) {
            return "1";
        } else if (n <= 5) {
            return "2-5";
        } else if (n <= 20) {
            return "6-20";
        } else if (n <= 100) {
            return "21-100";
        }
        return ">100";
    }
}
