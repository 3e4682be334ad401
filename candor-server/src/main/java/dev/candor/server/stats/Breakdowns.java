package dev.candor.server.stats;

import java.util.List;

/** The breakdowns a release publishes (DESIGN §7): overall, and each dimension one at a time. */
public final class Breakdowns {

    public static final String OVERALL = "overall";

    /** The report's context dimensions and the app version, in the order the surfaces show them. */
    public static final List<String> DIMENSIONS = List.of(
            "app_version", "os", "arch", "runtime", "memory_tier", "install_method", "ci");

    /** {@link #OVERALL} followed by every dimension. */
    public static final List<String> ALL = List.of(
            OVERALL, "app_version", "os", "arch", "runtime", "memory_tier", "install_method", "ci");

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
