package dev.candor.server.release;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exact, contribution-bounded counts of one breakdown of one period: what a release adds noise
 * to. Whoever builds it (the rollup, from the catalog) lists every group and every item the catalog
 * fixes, with zero counts where nothing was used, because the presence of a fixed key must not
 * depend on the data; keys the catalog does not fix are marked open and listed only when present.
 *
 * @param by     the breakdown: {@code overall} or a context dimension such as {@code os}
 * @param groups one per value of the dimension (a single group with an empty key for overall)
 */
public record BreakdownCounts(String by, List<Group> groups) {

    public BreakdownCounts {
        Objects.requireNonNull(by, "by");
        groups = List.copyOf(groups);
    }

    /**
     * @param key      the dimension's value, such as {@code {"os": "linux"}}; empty for overall
     * @param keyOpen  true when the catalog does not fix the value (app version, runtime, install method)
     * @param installs the reports in the group
     * @param items    each item's installs using it, after contribution bounding
     */
    public record Group(Map<String, String> key, boolean keyOpen, long installs, List<ItemCount> items) {
        public Group {
            key = Map.copyOf(key);
            items = List.copyOf(items);
            if (installs < 0) {
                throw new IllegalArgumentException("installs cannot be negative: " + installs);
            }
        }
    }

    /**
     * @param item          the item
     * @param open          true when the item holds a value the catalog does not fix (an error type)
     * @param installsUsing the reports of the group whose bounded selection marks this item
     */
    public record ItemCount(Item item, boolean open, long installsUsing) {
        public ItemCount {
            Objects.requireNonNull(item, "item");
            if (installsUsing < 0) {
                throw new IllegalArgumentException("installs using " + item + " cannot be negative: " + installsUsing);
            }
        }
    }
}
