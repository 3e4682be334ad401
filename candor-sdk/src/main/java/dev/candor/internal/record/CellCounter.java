package dev.candor.internal.record;

import dev.candor.Counter;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The handle of one resolved cell: a {@link LongAdder}, so {@link #increment()} takes no lock,
 * allocates nothing once warm and looks nothing up. The recorder's flusher drains it with
 * {@link #drain()}. In debug mode a subclass also prints each recorded event.
 */
class CellCounter implements Counter {
    private final LongAdder adder = new LongAdder();

    @Override
    public void increment() {
        adder.increment();
    }

    @Override
    public void add(long n) {
        if (n > 0) {
            adder.add(n);
        }
    }

    /** The count since the last drain, without draining it. */
    long peek() {
        return adder.sum();
    }

    /** The count since the last drain; counts added meanwhile are kept for the next one. */
    long drain() {
        return adder.sumThenReset();
    }

    /** Adds like its parent and hands each recorded event to the debug sink as exact JSON. */
    static final class Debugging extends CellCounter {
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
            super.add(n);
            if (n > 0) {
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
