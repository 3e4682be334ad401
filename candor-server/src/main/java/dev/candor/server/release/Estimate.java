package dev.candor.server.release;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One published number of a release: its noisy estimate and 95% interval, or, when suppressed,
 * neither (a suppressed number carries no estimate, so it cannot be read back from the interval).
 * Counts are whole numbers, shares are fractions in [0, 1].
 *
 * @param estimate   the noisy value, null when suppressed
 * @param low        the interval's lower end, null when suppressed
 * @param high       the interval's upper end, null when suppressed
 * @param suppressed true when the number is too uncertain or too small to publish
 */
public record Estimate(Number estimate, Number low, Number high, boolean suppressed) {

    /** A suppressed number: no estimate, no interval. */
    public static final Estimate SUPPRESSED = new Estimate(null, null, null, true);

    public Estimate {
        if (suppressed != (estimate == null) || (estimate == null) != (low == null) || (low == null) != (high == null)) {
            throw new IllegalArgumentException("an estimate has a value and an interval, or is suppressed and has neither");
        }
    }

    public static Estimate count(long estimate, long low, long high) {
        return new Estimate(estimate, low, high, false);
    }

    public static Estimate share(double estimate, double low, double high) {
        return new Estimate(estimate, low, high, false);
    }

    /** {@code {"estimate": …, "ci95": [lo, hi], "suppressed": …}}, with nulls when suppressed. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (suppressed) {
            node.putNull("estimate");
            node.putNull("ci95");
        } else {
            put(node, "estimate", estimate);
            var ci = node.putArray("ci95");
            add(ci, low);
            add(ci, high);
        }
        node.put("suppressed", suppressed);
        return node;
    }

    private static void put(ObjectNode node, String name, Number n) {
        if (n instanceof Double d) {
            node.put(name, d);
        } else {
            node.put(name, n.longValue());
        }
    }

    private static void add(com.fasterxml.jackson.databind.node.ArrayNode array, Number n) {
        if (n instanceof Double d) {
            array.add(d);
        } else {
            array.add(n.longValue());
        }
    }
}
