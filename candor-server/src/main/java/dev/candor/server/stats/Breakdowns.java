package dev.candor.server.stats;

import dev.candor.server.rollup.Breakdown;
import java.util.ArrayList;
import java.util.List;

/**
 * The breakdowns a release publishes (DESIGN §7), by name, in the order the surfaces show them:
 * the collector's own {@link Breakdown}s, so the two can never list different ones.
 */
public final class Breakdowns {

    public static final String OVERALL = Breakdown.OVERALL.dimension();

    /** {@link #OVERALL} followed by every dimension. */
    public static final List<String> ALL;

    /** The report's context dimensions and the app version. */
    public static final List<String> DIMENSIONS;

    static {
        List<String> all = new ArrayList<>();
        for (Breakdown b : Breakdown.values()) {
            all.add(b.dimension());
        }
        ALL = List.copyOf(all);
        DIMENSIONS = ALL.subList(1, ALL.size());
    }

    private Breakdowns() {
    }

    /** Checks a breakdown name given by a user, with an error that lists the valid names. */
    public static String require(String by) {
        if (!ALL.contains(by)) {
            throw new IllegalArgumentException("unknown breakdown \"" + by + "\"; use one of "
                    + String.join(", ", ALL));
        }
        return by;
    }
}
