package dev.candor.server.rollup;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.server.release.ContributionBound;
import dev.candor.server.release.Item;
import dev.candor.server.store.Report;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a catalog makes countable: every item (event, field value, full cell) the catalog fixes, in
 * catalog order; which events are noised on the install; the contribution bound m; and, for one
 * report, the items it used and the totals it adds.
 *
 * <p>Fixed items are listed in every rollup and release, used or not. An error type other than
 * {@code "other"} is not fixed (the set of class names is open), nor is anything a report names
 * that the current catalog does not (a report may follow an older catalog version).
 */
public final class CatalogItems {

    private final Catalog catalog;
    private final List<Item> fixedItems;
    private final Set<Item> fixedSet;
    private final Set<String> noisedEvents;
    private final int m;

    public CatalogItems(Catalog catalog) {
        this.catalog = catalog;
        List<Item> items = new ArrayList<>();
        Set<String> noised = new HashSet<>();
        long countable = 0;
        boolean open = false;
        for (EventSpec event : catalog.events()) {
            List<Item> ofEvent = fixedItemsOf(event);
            items.addAll(ofEvent);
            if (event.noised()) {
                noised.add(event.name());
            } else {
                countable += ofEvent.size();
                open |= event.errorTypeField() >= 0;
            }
        }
        this.fixedItems = Collections.unmodifiableList(items);
        this.fixedSet = Set.copyOf(items);
        this.noisedEvents = Set.copyOf(noised);
        this.m = ContributionBound.m(open ? Long.MAX_VALUE : countable);
    }

    private static List<String> fixedValues(FieldSpec field) {
        return field.type() == FieldType.ERROR_TYPE ? List.of(ErrorTypes.OTHER) : field.values();
    }

    private static List<Item> fixedItemsOf(EventSpec event) {
        List<Item> items = new ArrayList<>();
        items.add(Item.event(event.name()));
        for (FieldSpec field : event.fields()) {
            for (String value : fixedValues(field)) {
                items.add(Item.fieldValue(event.name(), field.name(), value));
            }
        }
        if (event.fields().size() > 1) {
            addCells(event, 0, new LinkedHashMap<>(), items);
        }
        return items;
    }

    private static void addCells(EventSpec event, int field, LinkedHashMap<String, String> prefix, List<Item> out) {
        if (field == event.fields().size()) {
            out.add(Item.cell(event.name(), prefix));
            return;
        }
        FieldSpec spec = event.fields().get(field);
        for (String value : fixedValues(spec)) {
            prefix.put(spec.name(), value);
            addCells(event, field + 1, prefix, out);
            prefix.remove(spec.name());
        }
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The bound on items one report may mark: 32, or the catalog's countable items if fewer. */
    public int m() {
        return m;
    }

    /** Every fixed item in catalog order, noised events' included. */
    public List<Item> fixedItems() {
        return fixedItems;
    }

    /** Whether the catalog fixes this item (so it is published whether used or not). */
    public boolean isFixed(Item item) {
        return fixedSet.contains(item);
    }

    /** Whether the event is noised on the install: its presence is not estimated. */
    public boolean isNoised(String event) {
        return noisedEvents.contains(event);
    }

    /** Noised events in catalog order. */
    public List<String> noisedEvents() {
        List<String> names = new ArrayList<>();
        for (EventSpec e : catalog.events()) {
            if (e.noised()) {
                names.add(e.name());
            }
        }
        return names;
    }

    /**
     * Every item the report counts toward, with the total it adds (counts clamped to
     * {@code max_per_cell}; a noised event's counts may be negative and are kept as sent, within
     * ±max_per_cell). An item is used by the report when its total is at least 1 and its event is not
     * noised.
     */
    public Map<Item, Long> totals(Report report) {
        long max = catalog.maxPerCell();
        Map<Item, Long> totals = new LinkedHashMap<>();
        for (Report.Cell cell : report.cells()) {
            long n = Math.max(-max, Math.min(max, cell.n()));
            totals.merge(Item.event(cell.event()), n, Long::sum);
            for (Map.Entry<String, String> field : cell.fields().entrySet()) {
                totals.merge(Item.fieldValue(cell.event(), field.getKey(), field.getValue()), n, Long::sum);
            }
            if (cell.fields().size() > 1) {
                totals.merge(Item.cell(cell.event(), cell.fields()), n, Long::sum);
            }
        }
        return totals;
    }

    /** The items of {@code totals} that the report used: total at least 1, event not noised. */
    public List<Item> used(Map<Item, Long> totals) {
        List<Item> used = new ArrayList<>();
        for (Map.Entry<Item, Long> e : totals.entrySet()) {
            if (e.getValue() >= 1 && !isNoised(e.getKey().event())) {
                used.add(e.getKey());
            }
        }
        return used;
    }
}
