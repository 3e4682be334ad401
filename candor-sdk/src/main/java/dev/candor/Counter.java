package dev.candor;

/**
 * One resolved cell of a catalog event. Resolve it once (it is cheap to keep in a static field),
 * then record on the hot path: {@link #increment()} takes a few nanoseconds, never blocks, never
 * allocates and never throws. Thread-safe. When telemetry is off it is a shared no-op.
 */
public interface Counter {
    /** Adds one. */
    void increment();

    /** Adds {@code n}; a negative {@code n} is ignored. */
    void add(long n);
}
