package dev.candor.server.stats;

import java.util.List;
import java.util.Map;

/**
 * One group of a breakdown: the whole population ({@code key} empty) or the installs sharing one
 * value of one dimension ({@code {"os": "linux"}}).
 */
public record StatsGroup(Map<String, String> key, Estimate installs, List<StatsItem> items) {

    public StatsGroup {
        key = Map.copyOf(key);
        items = List.copyOf(items);
    }

    /** The group's value of the breakdown dimension, or {@code "all"} for the overall group. */
    public String keyValue() {
        return key.isEmpty() ? "all" : key.values().iterator().next();
    }
}
