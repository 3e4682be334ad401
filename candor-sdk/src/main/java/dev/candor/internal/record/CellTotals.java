package dev.candor.internal.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per cell, by event: event name → (the cell's values in field order → count). A cell's
 * values are strings ({@code "true"}/{@code "false"} for booleans, bucket labels, the reduced
 * error type). What a process accumulates, what a counter file holds and what
 * {@link ReportBuilder} reads. Not thread-safe.
 */
public final class CellTotals {
    private final Map<String, Map<List<String>, Long>> byEvent = new LinkedHashMap<>();

    /** Adds {@code n} (≥ 0) to a cell. */
    public void add(String event, List<String> cell, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a count cannot be negative: " + n);
        }
        if (n == 0) {
            return;
        }
        // Plain gets and puts, not computeIfAbsent/merge with lambdas: this runs when a short-lived app closes.
        Map<List<String>, Long> cells = byEvent.get(event);
        if (cells == null) {
            cells = new LinkedHashMap<>();
            byEvent.put(event, cells);
        }
        List<String> key = Collections.unmodifiableList(new ArrayList<>(cell));
        Long before = cells.get(key);
        cells.put(key, before == null ? n : saturatingAdd(before, n));
    }

    /** Adds every cell of {@code other}. */
    public void addAll(CellTotals other) {
        for (Map.Entry<String, Map<List<String>, Long>> e : other.byEvent.entrySet()) {
            for (Map.Entry<List<String>, Long> c : e.getValue().entrySet()) {
                add(e.getKey(), c.getKey(), c.getValue());
            }
        }
    }

    /** The count of one cell (0 when never counted). */
    public long get(String event, List<String> cell) {
        Map<List<String>, Long> cells = byEvent.get(event);
        Long n = cells == null ? null : cells.get(cell);
        return n == null ? 0 : n;
    }

    /** The sum over every cell of one event. */
    public long total(String event) {
        long sum = 0;
        Map<List<String>, Long> cells = byEvent.get(event);
        if (cells != null) {
            for (long n : cells.values()) {
                sum = saturatingAdd(sum, n);
            }
        }
        return sum;
    }

    public boolean isEmpty() {
        return byEvent.isEmpty();
    }

    /** A read-only view: event → (cell values → count), in the order cells were first counted. */
    public Map<String, Map<List<String>, Long>> asMap() {
        return Collections.unmodifiableMap(byEvent);
    }

    /** {@code a + b}, or {@code Long.MAX_VALUE} when that overflows (counts are never negative). */
    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return byEvent.toString();
    }
}
