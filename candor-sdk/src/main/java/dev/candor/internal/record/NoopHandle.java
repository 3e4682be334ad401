package dev.candor.internal.record;

import dev.candor.Counter;
import dev.candor.Timing;

/**
 * The handle given out when telemetry is off or a cell cannot be resolved, counter and timing at once: does
 * nothing, costs nothing. Not lambdas: the first lambda of a JVM loads about a hundred {@code java.lang.invoke}
 * classes. A recording start, which hands out real counters, never loads it.
 */
public final class NoopHandle implements Counter, Timing {
    /** The one instance. */
    public static final NoopHandle INSTANCE = new NoopHandle();
    // Typed as the interfaces: a method returns them as they are, so that verifying it loads neither this class
    // nor Timing (a class a run that times nothing never needs).
    /** {@link #INSTANCE} as a counter. */
    public static final Counter COUNTER = INSTANCE;
    /** {@link #INSTANCE} as a timing. */
    public static final Timing TIMING = INSTANCE;

    private NoopHandle() {
    }

    @Override
    public void increment() {
    }

    @Override
    public void add(long n) {
    }

    @Override
    public void stop(String... moreFieldValuePairs) {
    }

    @Override
    public String toString() {
        return "no-op";
    }
}
