package dev.candor.internal.record;

import dev.candor.Counter;

/** The counter handed out when telemetry is off or a cell cannot be resolved: does nothing, costs nothing. */
public enum NoopCounter implements Counter {
    INSTANCE;

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
