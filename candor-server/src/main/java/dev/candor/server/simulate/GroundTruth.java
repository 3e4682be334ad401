package dev.candor.server.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.record.CellTotals;
import dev.candor.server.release.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated installs really did, per period, named as the stats API names items: the
 * installs active in the period, and per item (event, field value, full cell) the installs that
 * used it and the total count (clamped to {@code max_per_cell}, before any local noise). Written
 * as the truth file of issue 5:
 * <pre>{"periods": {"2026-11-24": {"installs": 5000, "items": [{"event": …, "installs_using": …}, …], "cells": […]}}}</pre>
 * Full cells are listed apart, under {@code cells}, as in releases.
 */
final class GroundTruth {

    private static final class PeriodTruth {
        long installs;
        final Map<Item, long[]> items = new LinkedHashMap<>();
    }

    private final Catalog catalog;
    private final Map<String, PeriodTruth> periods = new TreeMap<>();

    GroundTruth(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Counts one install's period, from the totals its report was built from. */
    void add(String period, CellTotals totals) {
        PeriodTruth truth = periods.computeIfAbsent(period, p -> new PeriodTruth());
        truth.installs++;
        Map<Item, Long> used = new LinkedHashMap<>();
        for (Map.Entry<String, Map<List<String>, Long>> event : totals.asMap().entrySet()) {
            EventSpec spec = catalog.event(event.getKey());
            for (Map.Entry<List<String>, Long> cell : event.getValue().entrySet()) {
                long n = Math.min(cell.getValue(), catalog.maxPerCell());
                if (n <= 0) {
                    continue;
                }
                used.merge(Item.event(spec.name()), n, Long::sum);
                Map<String, String> values = new LinkedHashMap<>();
                for (int f = 0; f < spec.fields().size(); f++) {
                    String field = spec.fields().get(f).name();
                    values.put(field, cell.getKey().get(f));
                    used.merge(Item.fieldValue(spec.name(), field, cell.getKey().get(f)), n, Long::sum);
                }
                if (spec.fields().size() > 1) {
                    used.merge(Item.cell(spec.name(), values), n, Long::sum);
                }
            }
        }
        for (Map.Entry<Item, Long> e : used.entrySet()) {
            long[] counts = truth.items.computeIfAbsent(e.getKey(), i -> new long[2]);
            counts[0]++;
            counts[1] += e.getValue();
        }
    }

    /** The installs of each period, in period order. */
    Map<String, Long> installs() {
        Map<String, Long> installs = new TreeMap<>();
        periods.forEach((p, t) -> installs.put(p, t.installs));
        return installs;
    }

    ObjectNode toJson() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        ObjectNode periodsNode = root.putObject("periods");
        periods.forEach((period, truth) -> {
            ObjectNode p = periodsNode.putObject(period);
            p.put("installs", truth.installs);
            ArrayNode items = p.putArray("items");
            ArrayNode cells = p.putArray("cells");
            truth.items.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Item::toString)))
                    .forEach(e -> {
                        Item item = e.getKey();
                        ObjectNode node = (item.kind() == Item.Kind.CELL ? cells : items).addObject();
                        node.put("event", item.event());
                        if (item.kind() == Item.Kind.FIELD_VALUE) {
                            node.put("field", item.field());
                            node.put("value", item.value());
                        } else if (item.kind() == Item.Kind.CELL) {
                            ObjectNode cell = node.putObject("cell");
                            item.cell().forEach(cell::put);
                        }
                        node.put("installs_using", e.getValue()[0]);
                        node.put("total", e.getValue()[1]);
                    });
        });
        return root;
    }

    void write(Path file) throws IOException {
        dev.candor.server.FileReplacement.writeString(file,
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson()) + "\n");
    }
}
