package dev.candor.server.rollup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.release.BreakdownCounts;
import dev.candor.server.release.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exact aggregates of one app's period: for every breakdown and group, the reports (installs
 * active in the period) and, per item, the installs that used it, the installs whose bounded
 * selection kept it (what a release counts), and the total count. Private to the maintainer;
 * the public sees releases made from it.
 *
 * @param reports        the raw reports it was built from (how the job knows it is up to date)
 * @param m              the contribution bound used to select each report's items
 * @param catalogSha256  the catalog version whose items it lists
 */
public record PeriodRollup(String app, String period, long reports, int m, String catalogSha256,
                           List<String> noisedEvents, List<BreakdownRollup> breakdowns) {

    public PeriodRollup {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(period, "period");
        noisedEvents = List.copyOf(noisedEvents);
        breakdowns = List.copyOf(breakdowns);
    }

    /** One breakdown ({@code overall}, {@code os}, …) with its groups. */
    public record BreakdownRollup(String by, List<GroupRollup> groups) {
        public BreakdownRollup {
            groups = List.copyOf(groups);
        }
    }

    /** One group: its key, whether the catalog fixes it, its installs and its items. */
    public record GroupRollup(Map<String, String> key, boolean keyOpen, long installs, List<ItemRollup> items) {
        public GroupRollup {
            key = Map.copyOf(key);
            items = List.copyOf(items);
        }
    }

    /**
     * One item of one group.
     *
     * @param open            the catalog does not fix it (an error type, or not in the current catalog)
     * @param noised          its event is noised on the install: only {@code total} is meaningful
     * @param installsUsing   reports that used it (total ≥ 1)
     * @param installsBounded reports whose selection of at most m items kept it
     * @param total           the sum of its counts
     */
    public record ItemRollup(Item item, boolean open, boolean noised, long installsUsing, long installsBounded, long total) {
    }

    /** The breakdown named {@code by}. */
    public BreakdownRollup breakdown(String by) {
        for (BreakdownRollup b : breakdowns) {
            if (b.by().equals(by)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown breakdown \"" + by + "\"; use one of " + Breakdown.names());
    }

    /** What a release of breakdown {@code by} adds noise to: bounded counts, noised events left out. */
    public BreakdownCounts boundedCounts(String by) {
        List<BreakdownCounts.Group> groups = new ArrayList<>();
        for (GroupRollup g : breakdown(by).groups()) {
            List<BreakdownCounts.ItemCount> items = new ArrayList<>();
            for (ItemRollup i : g.items()) {
                if (!i.noised()) {
                    items.add(new BreakdownCounts.ItemCount(i.item(), i.open(), i.installsBounded()));
                }
            }
            groups.add(new BreakdownCounts.Group(g.key(), g.keyOpen(), g.installs(), items));
        }
        return new BreakdownCounts(by, groups);
    }

    /**
     * The maintainer's view of breakdown {@code by}: the stats API's shape with exact numbers and
     * no intervals ({@code {"estimate": n}}), plus each item's {@code total}. A noised event's items
     * carry only their total; {@code installs_using} and {@code share} are null.
     */
    public ObjectNode toJson(String by) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("app", app);
        root.put("period", period);
        root.put("by", by);
        root.put("exact", true);
        root.put("m", m);
        root.put("reports", reports);
        ArrayNode groupsNode = root.putArray("groups");
        for (GroupRollup g : breakdown(by).groups()) {
            ObjectNode group = groupsNode.addObject();
            ObjectNode key = group.putObject("key");
            g.key().forEach(key::put);
            group.putObject("installs").put("estimate", g.installs());
            ArrayNode items = group.putArray("items");
            ArrayNode cells = group.putArray("cells");
            for (ItemRollup i : g.items()) {
                ObjectNode node = (i.item().kind() == Item.Kind.CELL ? cells : items).addObject();
                node.put("event", i.item().event());
                if (i.item().kind() == Item.Kind.FIELD_VALUE) {
                    node.put("field", i.item().field());
                    node.put("value", i.item().value());
                } else if (i.item().kind() == Item.Kind.CELL) {
                    ObjectNode cell = node.putObject("cell");
                    i.item().cell().forEach(cell::put);
                }
                if (i.noised()) {
                    node.putNull("installs_using");
                    node.putNull("share");
                } else {
                    node.putObject("installs_using").put("estimate", i.installsUsing());
                    node.putObject("share").put("estimate", g.installs() == 0 ? 0.0 : (double) i.installsUsing() / g.installs());
                }
                node.putObject("total").put("estimate", i.total());
            }
        }
        ArrayNode notes = root.putArray("notes");
        for (String event : noisedEvents) {
            notes.add(noisedNote(event));
        }
        return root;
    }

    /** What the output says about an event noised on the install. */
    public static String noisedNote(String event) {
        return event + " is noised on each install before it is sent: whether an install used it "
                + "is not estimated, only its total count (the noise is zero-mean), and that total is not part of public releases";
    }
}
