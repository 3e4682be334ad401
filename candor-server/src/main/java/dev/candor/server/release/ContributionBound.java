package dev.candor.server.release;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Bounds what one report can add to a release (DESIGN §7): the report counts 1 in the installs and
 * marks at most {@code m} items as used. When a report used more than {@code m} items, a uniformly
 * random subset of exactly {@code m} of them is kept (every subset of that size equally likely), so
 * one report changes a breakdown's numbers by at most {@code 1 + m} in total.
 */
public final class ContributionBound {

    /** The largest number of items one report may mark, whatever the catalog. */
    public static final int MAX_ITEMS = 32;

    private ContributionBound() {
    }

    /**
     * The bound {@code m} for a catalog that defines {@code catalogItems} items: 32, or fewer when
     * the catalog has fewer items (a catalog with a key it does not fix, such as an error type, has
     * unboundedly many items; pass {@link Long#MAX_VALUE}).
     */
    public static int m(long catalogItems) {
        if (catalogItems < 0) {
            throw new IllegalArgumentException("a catalog cannot have a negative number of items: " + catalogItems);
        }
        return (int) Math.min(MAX_ITEMS, catalogItems);
    }

    /**
     * The items of one report that a release may count: all of {@code used} when there are at most
     * {@code m}, else a uniformly random subset of {@code m} of them drawn from {@code random}
     * (a {@link java.security.SecureRandom} in production). Order of the result is unspecified.
     *
     * @param used the distinct items the report used
     */
    public static <T> List<T> select(List<T> used, int m, Random random) {
        if (m < 0) {
            throw new IllegalArgumentException("m must be at least 0, was " + m);
        }
        if (used.size() <= m) {
            return List.copyOf(used);
        }
        // A partial Fisher-Yates shuffle: position i receives a uniform pick among the items not yet
        // chosen, so the first m positions are a uniform m-subset.
        List<T> pool = new ArrayList<>(used);
        for (int i = 0; i < m; i++) {
            Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
        }
        return List.copyOf(pool.subList(0, m));
    }
}
