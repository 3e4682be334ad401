package dev.candor.internal.record;

import dev.candor.Counter;

/** The counter handed out when telemetry is off or a cell cannot be resolved: does nothing, costs nothing. */
public final class NoopCounter implements Counter {
    /** The one instance. */
    public static final NoopCounter INSTANCE = new NoopCounter();

    private NoopCounter() {
    }

    @Override
    public void increment() {
    }

    @Override
    public void add(long n) {
    }

    @Override
    public String toString() {
        return "Counter(no-op)";
    }
}
