package dev.candor.internal.record;

import dev.candor.Counter;
import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import java.io.File;
import java.util.HashMap;
import java.util.Map;

/**
 * Counter handles asked for before the recorder exists.
 *
 * <p>Why it exists: an ordinary recording run starts without parsing its catalog or opening its recorder,
 * so that the app's own start does not wait for them; an app that resolves a counter meanwhile gets a real
 * counter at once. Each is an ordinary cell counter (so {@code increment()} costs what it always does),
 * one per distinct cell asked for. When the recorder is made (a run that goes on long enough, or needs
 * the catalog), {@link #adoptInto} hands each to the cell it names, with whatever it counted so far; when
 * the run ends first, {@link #writeShortRun} writes what they counted as this process's counter file; when
 * the start fails or telemetry turns out off, {@link #discard} drops them, and what they counted is never
 * written. Thread-safe.
 */
public final class PendingCounters {
    /**
     * The most distinct cells handed out early: far more than an app resolves before its recorder, and a
     * bound on what an app that asks in a loop for ever-new names costs (beyond it, {@link #counter} answers
     * null and the caller makes the recorder).
     */
    static final int MAX_CELLS = 4096;
    /** What a timing names as its event's duration field, which it does not know yet (no catalog name starts with '*'). */
    public static final String DURATION_FIELD = ShortRunCounts.DURATION_FIELD;

    /** By {@link #key}; the cells in the order they were first asked for. */
    private final Map<String, Asked> asked = new HashMap<>();
    private boolean settled;

    /**
     * A handle for the cell, counted once the recorder adopts it or the run's end writes it; null when the
     * recorder already took over, the start ended without one, or {@link #MAX_CELLS} cells were asked for
     * (ask the recorder instead).
     */
    public synchronized Counter counter(String event, String[] fieldValuePairs) {
        if (settled) {
            return null;
        }
        String[] pairs = fieldValuePairs == null ? new String[0] : fieldValuePairs.clone();
        String key = key(event, pairs);
        Asked a = asked.get(key);
        if (a == null) {
            if (asked.size() >= MAX_CELLS) {
                return null;
            }
            a = new Asked(event, pairs, new CellCounter());
            asked.put(key, a);
        }
        return a.counter;
    }

    /** Hands every handle given out so far to {@code recorder}; later calls of {@link #counter} get null. */
    public synchronized void adoptInto(Recorder recorder) {
        settled = true;
        for (Asked a : asked.values()) {
            recorder.adopt(a.event, a.fieldValuePairs, a.counter);
        }
        asked.clear();
    }

    /**
     * At the end of a run that never made its recorder: writes what the handles counted as this process's
     * counter file of the period of {@code nowMillis} ({@link ShortRunCounts}), and forgets them. False,
     * writing nothing and forgetting nothing, when a cell names what the catalog file does not hold or the
     * file cannot be written: the caller then makes the recorder and adopts them.
     */
    public synchronized boolean writeShortRun(File stateDir, String app, Catalog.Period kind, Mode mode,
                                              long nowMillis, byte[] catalog) {
        if (settled) {
            return true;
        }
        if (!ShortRunCounts.write(stateDir, app, kind, mode, nowMillis, catalog, asked.values())) {
            return false;
        }
        settled = true;
        asked.clear();
        return true;
    }

    /** Forgets every handle given out: what they count is never written. */
    public synchronized void discard() {
        settled = true;
        asked.clear();
    }

    /** Names a cell as asked: the event, then each name and value, each string with its length first. */
    private static String key(String event, String[] pairs) {
        StringBuilder key = new StringBuilder();
        key.append(event == null ? -1 : event.length()).append(':').append(event);
        for (String s : pairs) {
            key.append(s == null ? -1 : s.length()).append(':').append(s);
        }
        return key.toString();
    }

    /** One cell asked for early. */
    static final class Asked {
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
