package dev.candor;

/**
 * A running measurement started by {@link Telemetry#time}: {@link #stop} counts one event with the
 * elapsed time in the event's {@code duration} buckets. Stopping costs a clock read and a cell
 * lookup; only the first {@code stop} counts; safe to stop from any thread; never throws.
 */
public interface Timing {
    /**
     * Stops the clock and counts the event, adding fields only known at the end, such as
     * {@code stop("success", "true")}.
     */
    void stop(String... moreFieldValuePairs);
}
