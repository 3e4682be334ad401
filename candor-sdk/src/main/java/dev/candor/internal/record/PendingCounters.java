package dev.candor.internal.record;

import dev.candor.Counter;
import java.util.ArrayList;
import java.util.List;

/**
 * Counter handles asked for while the recorder is still being made on the starting thread.
 *
 * <p>Why it exists: a recording run parses its catalog and opens its recorder off the app's thread, so
 * that the app's own start does not wait for them; an app that resolves a counter in the meantime gets
 * a real counter at once. Each is an ordinary cell counter (so {@code increment()} costs what it
 * always does) that the recorder adopts when it exists: {@link #adoptInto} hands each to the cell it
 * names, with whatever it counted so far. When the start fails or telemetry turns out off,
 * {@link #discard} drops them, and what they counted is never written. Thread-safe.
 */
public final class PendingCounters {
    private final List<Asked> asked = new ArrayList<>();
    private boolean settled;

    /**
     * A handle for the cell, counted once the recorder adopts it; null when the recorder already took
     * over (ask it instead) or the start ended without one.
     */
    public synchronized Counter counter(String event, String[] fieldValuePairs) {
        if (settled) {
            return null;
        }
        CellCounter early = new CellCounter();
        asked.add(new Asked(event, fieldValuePairs == null ? new String[0] : fieldValuePairs.clone(), early));
        return early;
    }

    /** Hands every handle given out so far to {@code recorder}; later calls of {@link #counter} get null. */
    public synchronized void adoptInto(Recorder recorder) {
        settled = true;
        for (Asked a : asked) {
            recorder.adopt(a.event, a.fieldValuePairs, a.counter);
        }
        asked.clear();
    }

    /** Forgets every handle given out: what they count is never written. */
    public synchronized void discard() {
        settled = true;
        asked.clear();
    }

    /** One {@code counter(...)} call answered early. */
    private static final class Asked {
        final String event;
        final String[] fieldValuePairs;
        final CellCounter counter;

        Asked(String event, String[] fieldValuePairs, CellCounter counter) {
            this.event = event;
            this.fieldValuePairs = fieldValuePairs;
            this.counter = counter;
        }
    }
}
