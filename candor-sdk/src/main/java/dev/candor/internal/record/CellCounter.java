package dev.candor.internal.record;

import dev.candor.Counter;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The handle of one resolved cell. It <em>is</em> a {@link LongAdder} (rather than holding one), so
 * {@link #increment()} is exactly {@code LongAdder.increment()}: no lock, no allocation once warm, no
 * lookup and not even a field load before the adder's own code. The recorder's flusher drains it
 * with {@link #drain()}. In debug mode a subclass also prints each recorded event.
 */
class CellCounter extends LongAdder implements Counter {
    private static final long serialVersionUID = 1L;

    /** Adds one: {@code LongAdder.add(1)} called directly, whatever {@link #add} does. */
    @Override
    public void increment() {
        super.add(1L);
    }

    /** Adds {@code n} when it is positive; a count never goes down. */
    @Override
    public void add(long n) {
        if (n > 0) {
            super.add(n);
        }
    }

    /**
     * Handles given out before the recorder existed (see {@link PendingCounters}) that count for this
     * same cell; null for none. Only ever grows, under this counter's lock.
     */
    private volatile CellCounter joined;

    /** Makes {@code early}'s counts, past and future, part of this cell's. */
    synchronized void join(CellCounter early) {
        if (early == this) {
            return;
        }
        CellCounter last = this;
        while (last.joined != null) {
            last = last.joined;
        }
        last.joined = early;
    }

    /** The count since the last drain, without draining it. */
    long peek() {
        long n = sum();
        for (CellCounter c = joined; c != null; c = c.joined) {
            n += c.sum();
        }
        return n;
    }

    /** The count since the last drain; counts added meanwhile are kept for the next one. */
    long drain() {
        long n = sumThenReset();
        for (CellCounter c = joined; c != null; c = c.joined) {
            n += c.sumThenReset();
        }
        return n;
    }

    /** Adds like its parent and hands each recorded event to the debug sink as exact JSON. */
    static final class Debugging extends CellCounter {
        private static final long serialVersionUID = 1L;
        private final String jsonPrefix;
        private final Consumer<String> sink;

        /** {@code jsonPrefix} is the event's JSON up to {@code "n":}, e.g. {@code {"event":"x","a":"b","n":}. */
        Debugging(String jsonPrefix, Consumer<String> sink) {
            this.jsonPrefix = jsonPrefix;
            this.sink = sink;
        }

        @Override
        public void increment() {
            super.increment();
            show(1);
        }

        @Override
        public void add(long n) {
            if (n > 0) {
                super.add(n);
                show(n);
            }
        }

        private void show(long n) {
            try {
                sink.accept(jsonPrefix + n + "}");
            } catch (RuntimeException ignored) {
                // a debug sink must never break the host
            }
        }
    }
}
