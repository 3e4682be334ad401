package dev.candor.internal.record;

import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The live counters of one event. A cell's {@link CellCounter} is created the first time the cell
 * is resolved and then handed out again for the same cell, so resolving is a lookup and recording
 * is not. Events with an {@code error_type} field keep one set of cells per error type in a
 * bounded map: at most {@value FieldType#ERROR_TYPE_LIMIT} named types per process, further ones
 * count as {@code "other"} (the merge bounds each period's report the same way). Thread-safe: resolving
 * and collecting hold this object's lock (neither is on the hot path), so plain arrays do; an
 * {@code AtomicReferenceArray} would set up the JDK's {@code VarHandle} machinery at every app's start.
 */
final class EventCounters {
    final EventSpec spec;
    /** Guarded by this. */
    private final CellCounter[] cells;
    /** Guarded by this. */
    private final Map<String, CellCounter[]> byErrorType;

    EventCounters(EventSpec spec) {
        this.spec = spec;
        if (spec.errorTypeField() < 0) {
            this.cells = new CellCounter[spec.closedCellCount()];
            this.byErrorType = null;
        } else {
            this.cells = null;
            this.byErrorType = new HashMap<>();
        }
    }

    /**
     * The counter of the cell with these values (field order; an error type already reduced).
     *
     * @param recorder makes the counter for a new cell from its final values ({@link Recorder#newCounter})
     * @throws IllegalArgumentException when a value is not allowed
     */
    synchronized CellCounter resolve(String[] values, Recorder recorder) {
        int index = spec.cellIndex(values);
        CellCounter[] slots = cells;
        String[] finalValues = values;
        if (slots == null) {
            int at = spec.errorTypeField();
            String type = values[at];
            slots = byErrorType.get(type);
            if (slots == null) {
                int named = byErrorType.size() - (byErrorType.containsKey(ErrorTypes.OTHER) ? 1 : 0);
                if (!ErrorTypes.OTHER.equals(type) && named >= FieldType.ERROR_TYPE_LIMIT) {
                    type = ErrorTypes.OTHER;
                    slots = byErrorType.get(type);
                }
                if (slots == null) {
                    slots = new CellCounter[spec.closedCellCount()];
                    byErrorType.put(type, slots);
                }
            }
            finalValues = Arrays.copyOf(values, values.length);
            finalValues[at] = type;
        }
        CellCounter counter = slots[index];
        if (counter == null) {
            counter = recorder.newCounter(spec, finalValues);
            slots[index] = counter;
        }
        return counter;
    }

    /** Adds every cell's count to {@code into}; with {@code drain}, the counters restart from zero. */
    synchronized void collect(CellTotals into, boolean drain) {
        if (cells != null) {
            collect(cells, null, into, drain);
        } else {
            for (Map.Entry<String, CellCounter[]> e : byErrorType.entrySet()) {
                collect(e.getValue(), e.getKey(), into, drain);
            }
        }
    }

    private void collect(CellCounter[] slots, String errorType, CellTotals into, boolean drain) {
        for (int i = 0; i < slots.length; i++) {
            CellCounter c = slots[i];
            if (c == null) {
                continue;
            }
            long n = drain ? c.drain() : c.peek();
            if (n > 0) {
                String[] values = spec.cellValues(i);
                if (errorType != null) {
                    values[spec.errorTypeField()] = errorType;
                }
                into.add(spec.name(), Arrays.asList(values), n);
            }
        }
    }
}
