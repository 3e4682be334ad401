package dev.candor.server.release;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One frozen, public release of one breakdown of one period: every number noised once, with its
 * 95% interval or suppressed. Its JSON is the stats API's contract (issue 5):
 * <pre>{"app","period","by","epsilon","m","groups":[{"key":{},"installs":{…},"items":[…]}]}</pre>
 * followed by what a reader needs to judge it: the full cells of events with several fields
 * ({@code cells}, per group, same shape as items plus the cell), the δ and the threshold used for
 * keys the catalog does not fix, and notes (such as events whose presence is not estimated).
 */
public record Release(String app, String period, String by, double epsilon, int m, double delta,
                      long openKeyThreshold, List<Group> groups, List<String> notes) {

    public Release {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(by, "by");
        groups = List.copyOf(groups);
        notes = List.copyOf(notes);
    }

    /** One group of the breakdown; {@code items} are events and field values, {@code cells} full cells. */
    public record Group(Map<String, String> key, Estimate installs, List<Published> items, List<Published> cells) {
        public Group {
            key = Map.copyOf(key);
            items = List.copyOf(items);
            cells = List.copyOf(cells);
        }
    }

    /** One item with the noisy installs that used it and their share of the group's installs. */
    public record Published(Item item, Estimate installsUsing, Estimate share) {
    }

    /** The release as the stats API serves it. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("app", app);
        root.put("period", period);
        root.put("by", by);
        root.put("epsilon", epsilon);
        root.put("m", m);
        ArrayNode groupsNode = root.putArray("groups");
        for (Group group : groups) {
            ObjectNode g = groupsNode.addObject();
            ObjectNode key = g.putObject("key");
            group.key().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> key.put(e.getKey(), e.getValue()));
            g.set("installs", group.installs().toJson());
            ArrayNode items = g.putArray("items");
            group.items().forEach(p -> items.add(itemJson(p)));
            ArrayNode cells = g.putArray("cells");
            group.cells().forEach(p -> cells.add(itemJson(p)));
        }
        root.put("delta", delta);
        root.put("open_key_threshold", openKeyThreshold);
        ArrayNode notesNode = root.putArray("notes");
        notes.forEach(notesNode::add);
        return root;
    }

    /** {@code {"event", ["field", "value" | "cell"], <name>: …}} — the item part of items in releases and rollups. */
    static ObjectNode itemKeyJson(Item item) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("event", item.event());
        switch (item.kind()) {
            case FIELD_VALUE:
                node.put("field", item.field());
                node.put("value", item.value());
                break;
            case CELL:
                ObjectNode cell = node.putObject("cell");
                item.cell().forEach(cell::put);
                break;
            default:
                break;
        }
        return node;
    }

    private static ObjectNode itemJson(Published p) {
        ObjectNode node = itemKeyJson(p.item());
        node.set("installs_using", p.installsUsing().toJson());
        node.set("share", p.share().toJson());
        return node;
    }
}
