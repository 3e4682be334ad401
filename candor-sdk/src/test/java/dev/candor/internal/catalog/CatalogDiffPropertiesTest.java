package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The diff and the agreed part for random pairs of small catalogs drawn from one pool of names, so that
 * events, fields and values are often shared, sometimes changed and sometimes gone.
 */
public class CatalogDiffPropertiesTest {
    static final List<String> TYPES = List.of("enum", "enum", "boolean", "duration", "count", "error_type");
    static final List<String> VALUES = List.of("a", "b", "c", "d");
    static final List<String> EPSILONS = List.of("0.5", "1", "2");

    @Property(tries = 300)
    void aCatalogHasNoChangeAgainstItselfAndIsRecordedWhole(@ForAll long seed) {
        Map<String, Object> model = randomEvents(new Random(seed));
        Catalog c = catalog(model, new Random(seed));
        assertThat(CatalogDiff.between(c, c).isEmpty()).isTrue();
        assertThat(CatalogDiff.agreedPart(c, c)).isSameAs(c);
        Catalog shuffled = catalog(model, new Random(~seed));
        assertThat(CatalogDiff.between(c, shuffled).isEmpty()).as("only the order differs").isTrue();
    }

    @Property(tries = 500)
    void theAgreedPartNeverHoldsAnythingTheUserDidNotAgreeToOrTheCatalogNoLongerHas(@ForAll long seed) {
        Random random = new Random(seed);
        Catalog old = catalog(randomEvents(random), random);
        Catalog now = catalog(randomEvents(random), random);
        Set<String> agreedItems = items(old);
        Set<String> currentItems = items(now);
        for (String item : items(CatalogDiff.agreedPart(now, old))) {
            assertThat(agreedItems).as("agreed before").contains(item);
            assertThat(currentItems).as("in the current catalog").contains(item);
        }
    }

    @Property(tries = 500)
    void anEventIsRecordedWholeExactlyWhenNothingOfItWaits(@ForAll long seed) {
        Random random = new Random(seed);
        Catalog old = catalog(randomEvents(random), random);
        Catalog now = catalog(randomEvents(random), random);
        CatalogDiff diff = CatalogDiff.between(old, now);
        Catalog part = CatalogDiff.agreedPart(now, old);
        for (EventSpec event : now.allEvents()) {
            boolean waits = diff.waiting().stream().anyMatch(c -> c.event().name().equals(event.name()));
            EventSpec recorded = part.event(event.name());
            boolean whole = recorded != null && items(recorded).equals(items(event));
            assertThat(whole).as(event.name() + " recorded whole; changes: " + diff).isEqualTo(!waits);
        }
        assertThat(part.allEvents()).isEqualTo(now.allEvents());
        assertThat(part.sha256()).isEqualTo(now.sha256());
    }

    @Property(tries = 500)
    void applyingTheChangesToTheAgreedItemsGivesTheCurrentItems(@ForAll long seed) {
        Random random = new Random(seed);
        Catalog old = catalog(randomEvents(random), random);
        Catalog now = catalog(randomEvents(random), random);
        CatalogDiff diff = CatalogDiff.between(old, now);
        Set<String> applied = new TreeSet<>(items(old));
        for (CatalogDiff.Change c : diff.changes()) {
            String e = c.event().name();
            switch (c.kind()) {
                case CatalogDiff.REMOVED_EVENT -> applied.removeIf(i -> i.equals(e) || i.startsWith(e + "."));
                case CatalogDiff.REMOVED_FIELD -> applied.removeIf(i -> i.startsWith(e + "." + c.field().name() + ":"));
                case CatalogDiff.NEW_EVENT -> applied.addAll(items(c.event()));
                case CatalogDiff.LESS_NOISE -> applied.add(e);
                case CatalogDiff.NEW_FIELD, CatalogDiff.CHANGED_FIELD -> {
                    applied.removeIf(i -> i.startsWith(e + "." + c.field().name() + ":"));
                    applied.addAll(fieldItems(e, c.field()));
                }
            }
        }
        // What the diff leaves out on purpose asks nothing: values that went away and more noise.
        applied.retainAll(items(now));
        assertThat(applied).isEqualTo(new TreeSet<>(items(now)));
        assertThat(diff.ofKind(CatalogDiff.REMOVED_EVENT)).extracting(c -> c.event().name())
                .containsExactlyInAnyOrderElementsOf(difference(names(old), names(now)));
    }

    @Property(tries = 300)
    void theChangesDoNotDependOnTheOrderOfEventsFieldsOrValues(@ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Object> oldModel = randomEvents(random);
        Map<String, Object> newModel = randomEvents(random);
        CatalogDiff one = CatalogDiff.between(catalog(oldModel, new Random(seed + 1)), catalog(newModel, new Random(seed + 2)));
        CatalogDiff other = CatalogDiff.between(catalog(oldModel, new Random(seed + 3)), catalog(newModel, new Random(seed + 4)));
        assertThat(one.changes().stream().map(Object::toString).collect(Collectors.toSet()))
                .isEqualTo(other.changes().stream().map(Object::toString).collect(Collectors.toSet()));
        Catalog partOne = CatalogDiff.agreedPart(catalog(newModel, new Random(seed + 5)), catalog(oldModel, new Random(seed + 6)));
        Catalog partOther = CatalogDiff.agreedPart(catalog(newModel, new Random(seed + 7)), catalog(oldModel, new Random(seed + 8)));
        assertThat(items(partOne)).isEqualTo(items(partOther));
    }

    @Property(tries = 200)
    void aCatalogThatOnlyTakesAwayAsksNothing(@ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Object> oldModel = randomEvents(random);
        Map<String, Object> smaller = takeAway(oldModel, random);
        CatalogDiff diff = CatalogDiff.between(catalog(oldModel, random), catalog(smaller, random));
        assertThat(diff.waitingCount()).isZero();
    }

    // ---- the pool ----

    /**
     * Events by name: each a map with "fields" (name → [type, values…]) and maybe "epsilon"; drawn again
     * while the catalog would break the parser's cell limit (an error_type, a duration and a count field
     * on one event can pass {@link CatalogParser#MAX_CELLS}), since only valid catalogs are compared.
     */
    public static Map<String, Object> randomEvents(Random random) {
        while (true) {
            Map<String, Object> events = drawEvents(random);
            try {
                parse(events);
                return events;
            } catch (CatalogException tooManyCells) {
                // draw again
            }
        }
    }

    private static Map<String, Object> drawEvents(Random random) {
        Map<String, Object> events = new LinkedHashMap<>();
        for (int e = 0; e < 5; e++) {
            if (random.nextInt(4) == 0) {
                continue;
            }
            Map<String, List<String>> fields = new LinkedHashMap<>();
            boolean errorType = false;
            for (int f = 0; f < 3; f++) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                String type = TYPES.get(random.nextInt(TYPES.size()));
                if (type.equals("error_type") && errorType) {
                    type = "boolean";
                }
                errorType |= type.equals("error_type");
                List<String> def = new ArrayList<>(List.of(type));
                if (type.equals("enum")) {
                    for (String v : VALUES) {
                        if (random.nextBoolean()) {
                            def.add(v);
                        }
                    }
                    if (def.size() == 1) {
                        def.add(VALUES.get(random.nextInt(VALUES.size())));
                    }
                }
                fields.put("f" + f, def);
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("fields", fields);
            if (random.nextInt(3) == 0 && !errorType) { // a noised event is dense: no error_type
                event.put("epsilon", EPSILONS.get(random.nextInt(EPSILONS.size())));
            }
            events.put("e" + e, event);
        }
        if (events.isEmpty()) {
            events.put("e0", Map.of("fields", Map.of()));
        }
        return events;
    }

    /**
     * {@code model} with some of it taken away, and nothing added: events, fields and enum values dropped at
     * random (each event and each enum keeps at least one), so that against {@code model} nothing waits.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> takeAway(Map<String, Object> model, Random random) {
        Map<String, Object> smaller = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : model.entrySet()) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            Map<String, Object> event = new LinkedHashMap<>((Map<String, Object>) e.getValue());
            Map<String, List<String>> fields = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> f : ((Map<String, List<String>>) event.get("fields")).entrySet()) {
                if (random.nextInt(4) == 0) {
                    continue;
                }
                List<String> def = new ArrayList<>(f.getValue());
                while (def.size() > 2 && random.nextInt(3) == 0) {
                    def.remove(1 + random.nextInt(def.size() - 1));
                }
                fields.put(f.getKey(), def);
            }
            event.put("fields", fields);
            smaller.put(e.getKey(), event);
        }
        if (smaller.isEmpty()) {
            Map.Entry<String, Object> first = model.entrySet().iterator().next();
            smaller.put(first.getKey(), first.getValue());
        }
        return smaller;
    }

    /** The catalog of {@code model}, with events, fields and enum values in an order drawn from {@code order}. */
    static Catalog catalog(Map<String, Object> model, Random order) {
        try {
            return CatalogParser.parse(catalogFile(model, order), "catalog.json");
        } catch (CatalogException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The catalog file of {@code model}, in an order drawn from {@code order}, as an app would ship it. */
    @SuppressWarnings("unchecked")
    public static byte[] catalogFile(Map<String, Object> model, Random order) {
        List<String> eventNames = new ArrayList<>(model.keySet());
        Collections.shuffle(eventNames, order);
        Map<String, Object> shuffled = new LinkedHashMap<>();
        for (String name : eventNames) {
            Map<String, Object> event = (Map<String, Object>) model.get(name);
            Map<String, List<String>> fields = (Map<String, List<String>>) event.get("fields");
            List<String> fieldNames = new ArrayList<>(fields.keySet());
            Collections.shuffle(fieldNames, order);
            Map<String, List<String>> shuffledFields = new LinkedHashMap<>();
            for (String f : fieldNames) {
                List<String> def = new ArrayList<>(fields.get(f));
                Collections.shuffle(def.subList(1, def.size()), order);
                shuffledFields.put(f, def);
            }
            Map<String, Object> shuffledEvent = new LinkedHashMap<>(event);
            shuffledEvent.put("fields", shuffledFields);
            shuffled.put(name, shuffledEvent);
        }
        return document(shuffled);
    }

    /** Parses the catalog document holding the events of {@code model}, in the model's order. */
    private static Catalog parse(Map<String, Object> model) throws CatalogException {
        return CatalogParser.parse(document(model), "catalog.json");
    }

    /** The catalog document holding the events of {@code model}, in the model's order. */
    @SuppressWarnings("unchecked")
    private static byte[] document(Map<String, Object> model) {
        Map<String, Object> events = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : model.entrySet()) {
            Map<String, Object> event = (Map<String, Object>) e.getValue();
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> f : ((Map<String, List<String>>) event.get("fields")).entrySet()) {
                List<String> def = f.getValue();
                Map<String, Object> field = new LinkedHashMap<>();
                field.put("type", def.get(0));
                if (def.get(0).equals("enum")) {
                    field.put("values", def.subList(1, def.size()));
                }
                fields.put(f.getKey(), field);
            }
            Map<String, Object> jsonEvent = new LinkedHashMap<>();
            jsonEvent.put("description", "Event " + e.getKey() + ".");
            jsonEvent.put("fields", fields);
            if (event.containsKey("epsilon")) {
                jsonEvent.put("noise", Map.of("epsilon", new java.math.BigDecimal((String) event.get("epsilon"))));
            }
            events.put(e.getKey(), jsonEvent);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("catalog", 1);
        doc.put("app", "acme");
        doc.put("title", "Acme");
        doc.put("owner", "Acme people");
        doc.put("policy_url", "https://acme.example/telemetry");
        doc.put("endpoint", "http://localhost:8080/v1/reports");
        doc.put("events", events);
        return Json.write(doc).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What a catalog lets an install reveal, one string per item: each event with its noise
     * ({@code e1~1} or {@code e1~exact}; an event's noise item stands for "at most this little noise"),
     * and each field value ({@code e1.f0:enum=a}, {@code e1.f2:error_type=*}).
     */
    public static Set<String> items(Catalog catalog) {
        Set<String> items = new TreeSet<>();
        for (EventSpec e : catalog.events()) {
            items.addAll(items(e));
        }
        return items;
    }

    public static Set<String> items(EventSpec e) {
        Set<String> items = new TreeSet<>();
        items.add(e.name());
        for (FieldSpec f : e.fields()) {
            items.addAll(fieldItems(e.name(), f));
        }
        return items;
    }

    static Set<String> fieldItems(String event, FieldSpec f) {
        Set<String> items = new TreeSet<>();
        if (f.type() == FieldType.ERROR_TYPE) {
            items.add(event + "." + f.name() + ":error_type=*");
        }
        for (String v : f.values()) {
            items.add(event + "." + f.name() + ":" + f.type().jsonName() + "=" + v);
        }
        return items;
    }

    static Set<String> names(Catalog c) {
        Set<String> names = new TreeSet<>();
        c.allEvents().forEach(e -> names.add(e.name()));
        return names;
    }

    static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
