package dev.candor.server.rollup;

import dev.candor.server.store.Report;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The ways a period's numbers are split (DESIGN §7): overall, or by one context dimension or the
 * app version at a time. A dimension whose values DESIGN §5 fixes lists all of them in every
 * rollup and release, used or not; the others (app version, runtime, install method) are open:
 * their values exist only because reports sent them, so releases threshold them.
 */
public enum Breakdown {
    OVERALL("overall", null, r -> null),
    APP_VERSION("app_version", null, Report::appVersion),
    OS("os", List.of("linux", "macos", "windows", "other"), r -> r.context().os()),
    ARCH("arch", List.of("x64", "arm64", "other"), r -> r.context().arch()),
    RUNTIME("runtime", null, r -> r.context().runtime()),
    MEMORY_TIER("memory_tier", List.of("low", "medium", "high"), r -> r.context().memoryTier()),
    INSTALL_METHOD("install_method", null, r -> r.context().installMethod()),
    CI("ci", List.of("false", "true"), r -> Boolean.toString(r.context().ci()));

    private final String dimension;
    private final List<String> fixedValues;
    private final Function<Report, String> value;

    Breakdown(String dimension, List<String> fixedValues, Function<Report, String> value) {
        this.dimension = dimension;
        this.fixedValues = fixedValues;
        this.value = value;
    }

    /** The name in the stats API's {@code by} and in group keys, e.g. {@code memory_tier}. */
    public String dimension() {
        return dimension;
    }

    /** Every value of the dimension, in display order, or null when the dimension is open. */
    public List<String> fixedValues() {
        return fixedValues;
    }

    /** Whether a value of this dimension may appear in a release only above the threshold. */
    public boolean isOpen(String dimensionValue) {
        return this != OVERALL && (fixedValues == null || !fixedValues.contains(dimensionValue));
    }

    /** The report's value of this dimension; null for {@link #OVERALL}. */
    public String valueOf(Report report) {
        return value.apply(report);
    }

    /** The breakdown named {@code by}, or an error that lists the names there are. */
    public static Breakdown named(String by) {
        for (Breakdown b : values()) {
            if (b.dimension.equals(by)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown breakdown \"" + by + "\"; use one of " + names());
    }

    /** Every breakdown's name, comma separated, for messages. */
    public static String names() {
        StringBuilder s = new StringBuilder();
        for (Breakdown b : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(b.dimension);
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }
}
