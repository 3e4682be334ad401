package dev.candor.server.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the stats API's JSON (issue 5's contract) and the ledger. Reading is strict
 * about what the surfaces need (app, period, groups, installs) and names the missing or wrong
 * field; it ignores fields it does not know, so the API can grow. An exact rollup may give a
 * number either as {@code {"estimate": 12}} or as a bare {@code 12}.
 */
public final class StatsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatsJson() {
    }

    /** Parses one release (or rollup) document; {@code source} names it in errors. */
    public static StatsRelease parseRelease(String json, String source) {
        JsonNode root = read(json, source);
        String app = text(root, "app", source);
        String period = text(root, "period", source);
        String by = root.hasNonNull("by") ? root.get("by").asText() : Breakdowns.OVERALL;
        Double epsilon = root.hasNonNull("epsilon") ? root.get("epsilon").asDouble() : null;
        Integer m = root.hasNonNull("m") ? root.get("m").asInt() : null;
        JsonNode groups = root.get("groups");
        if (groups == null || !groups.isArray()) {
            throw new StatsFormatException(source + ": \"groups\" must be an array");
        }
        List<StatsGroup> parsed = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            parsed.add(group(groups.get(i), source + ": groups[" + i + "]"));
        }
        return new StatsRelease(app, period, by, epsilon, m, parsed);
    }

    /**
     * Parses a ledger: a bare array of entries, or an object holding them as {@code releases} (what
     * {@code GET /v1/apps/{app}/ledger} serves), {@code entries} or {@code ledger}.
     */
    public static List<LedgerEntry> parseLedger(String json, String source) {
        JsonNode root = read(json, source);
        JsonNode entries = root.isArray() ? root
                : root.has("entries") ? root.get("entries") : root.has("releases") ? root.get("releases") : root.get("ledger");
        if (entries == null || !entries.isArray()) {
            throw new StatsFormatException(source + ": expected an array of ledger entries");
        }
        String defaultApp = root.isObject() && root.hasNonNull("app") ? root.get("app").asText() : null;
        List<LedgerEntry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String where = source + ": entries[" + i + "]";
            String app = e.hasNonNull("app") ? e.get("app").asText() : defaultApp;
            if (app == null) {
                throw new StatsFormatException(where + ": \"app\" is missing");
            }
            String breakdown = e.hasNonNull("breakdown") ? e.get("breakdown").asText() : text(e, "by", where);
            out.add(new LedgerEntry(app, text(e, "period", where), breakdown,
                    number(e, "epsilon", where), number(e, "cumulative_epsilon", where)));
        }
        return out;
    }

    /** Writes a release in the contract's shape. */
    public static String write(StatsRelease release) {
        return toJson(tree(release), false);
    }

    /** Writes a ledger as {@code {"app": …, "entries": [...]}}. */
    public static String writeLedger(String app, List<LedgerEntry> ledger) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("app", app);
        ArrayNode entries = root.putArray("entries");
        for (LedgerEntry e : ledger) {
            ObjectNode n = entries.addObject();
            n.put("app", e.app());
            n.put("period", e.period());
            n.put("breakdown", e.breakdown());
            n.put("epsilon", e.epsilon());
            n.put("cumulative_epsilon", e.cumulativeEpsilon());
        }
        return toJson(root, false);
    }

    /** The release as a Jackson tree, for callers that combine several into one document. */
    public static ObjectNode tree(StatsRelease release) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("app", release.app());
        root.put("period", release.period());
        root.put("by", release.by());
        if (release.epsilon() != null) {
            root.put("epsilon", release.epsilon());
        }
        if (release.m() != null) {
            root.put("m", release.m());
        }
        ArrayNode groups = root.putArray("groups");
        for (StatsGroup g : release.groups()) {
            ObjectNode gn = groups.addObject();
            ObjectNode key = gn.putObject("key");
            g.key().forEach(key::put);
            gn.set("installs", estimate(g.installs(), true));
            ArrayNode items = gn.putArray("items");
            for (StatsItem item : g.items()) {
                ObjectNode in = items.addObject();
                in.put("event", item.event());
                if (item.field() != null) {
                    in.put("field", item.field());
                    in.put("value", item.value());
                }
                if (item.installsUsing() != null) {
                    in.set("installs_using", estimate(item.installsUsing(), true));
                }
                if (item.share() != null) {
                    in.set("share", estimate(item.share(), false));
                }
                if (item.total() != null) {
                    in.set("total", estimate(item.total(), true));
                }
            }
        }
        return root;
    }

    public static String toJson(JsonNode node, boolean pretty) {
        try {
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                    : MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built here always serializes", e);
        }
    }

    private static ObjectNode estimate(Estimate e, boolean whole) {
        ObjectNode n = MAPPER.createObjectNode();
        if (e.value() == null) {
            n.putNull("estimate");
        } else if (whole) {
            n.put("estimate", Math.round(e.value()));
        } else {
            n.put("estimate", e.value());
        }
        if (e.hasInterval()) {
            ArrayNode ci = n.putArray("ci95");
            if (whole) {
                ci.add(Math.round(e.low())).add(Math.round(e.high()));
            } else {
                ci.add(e.low()).add(e.high());
            }
        }
        n.put("suppressed", e.suppressed());
        return n;
    }

    private static StatsGroup group(JsonNode g, String where) {
        Map<String, String> key = new LinkedHashMap<>();
        JsonNode keyNode = g.get("key");
        if (keyNode != null && keyNode.isObject()) {
            keyNode.fields().forEachRemaining(e -> key.put(e.getKey(), e.getValue().asText()));
        }
        Estimate installs = estimateOrNull(g.get("installs"), where + ".installs");
        if (installs == null) {
            throw new StatsFormatException(where + ": \"installs\" is missing");
        }
        List<StatsItem> items = new ArrayList<>();
        JsonNode itemsNode = g.get("items");
        if (itemsNode != null) {
            if (!itemsNode.isArray()) {
                throw new StatsFormatException(where + ": \"items\" must be an array");
            }
            for (int i = 0; i < itemsNode.size(); i++) {
                JsonNode it = itemsNode.get(i);
                String w = where + ".items[" + i + "]";
                String field = it.hasNonNull("field") ? it.get("field").asText() : null;
                String value = it.hasNonNull("value") ? it.get("value").asText() : null;
                if ((field == null) != (value == null)) {
                    throw new StatsFormatException(w + ": \"field\" and \"value\" come together");
                }
                items.add(new StatsItem(text(it, "event", w), field, value,
                        estimateOrNull(it.get("installs_using"), w + ".installs_using"),
                        estimateOrNull(it.get("share"), w + ".share"),
                        estimateOrNull(it.get("total"), w + ".total")));
            }
        }
        return new StatsGroup(key, installs, items);
    }

    private static Estimate estimateOrNull(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return Estimate.exact(n.asDouble());
        }
        if (!n.isObject()) {
            throw new StatsFormatException(where + ": expected a number or {\"estimate\": …}");
        }
        boolean suppressed = n.path("suppressed").asBoolean(false);
        if (suppressed) {
            return Estimate.withheld();
        }
        JsonNode est = n.get("estimate");
        if (est == null || !est.isNumber()) {
            throw new StatsFormatException(where + ": \"estimate\" must be a number when not suppressed");
        }
        JsonNode ci = n.get("ci95");
        if (ci == null || ci.isNull()) {
            return Estimate.exact(est.asDouble());
        }
        if (!ci.isArray() || ci.size() != 2 || !ci.get(0).isNumber() || !ci.get(1).isNumber()) {
            throw new StatsFormatException(where + ": \"ci95\" must be [low, high]");
        }
        return Estimate.noisy(est.asDouble(), ci.get(0).asDouble(), ci.get(1).asDouble());
    }

    /** Parses {@code json}, or says that {@code source} did not answer JSON. */
    static JsonNode read(String json, String source) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StatsFormatException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String name, String where) {
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual()) {
            throw new StatsFormatException(where + ": \"" + name + "\" must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String name, String where) {
        JsonNode v = n.get(name);
        if (v == null || !v.isNumber()) {
            throw new StatsFormatException(where + ": \"" + name + "\" must be a number");
        }
        return v.asDouble();
    }
}
