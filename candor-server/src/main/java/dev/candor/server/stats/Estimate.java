package dev.candor.server.stats;

/**
 * One published number: its estimate and 95% interval, or the mark that it is suppressed.
 * A suppressed number carries no estimate (DESIGN §7). An exact number (a maintainer's rollup)
 * has no interval.
 *
 * @param value the estimate, or {@code null} when suppressed
 * @param low the interval's lower end, or {@code null} for exact or suppressed numbers
 * @param high the interval's upper end, or {@code null} for exact or suppressed numbers
 * @param suppressed whether the release withheld this number
 */
public record Estimate(Double value, Double low, Double high, boolean suppressed) {

    public Estimate {
        if (suppressed && value != null) {
            throw new IllegalArgumentException("a suppressed number carries no estimate");
        }
        if (!suppressed && value == null) {
            throw new IllegalArgumentException("an unsuppressed number needs an estimate");
        }
        if ((low == null) != (high == null)) {
            throw new IllegalArgumentException("an interval needs both ends");
        }
    }

    public static Estimate noisy(double value, double low, double high) {
        return new Estimate(value, low, high, false);
    }

    public static Estimate exact(double value) {
        return new Estimate(value, null, null, false);
    }

    public static Estimate withheld() {
        return new Estimate(null, null, null, true);
    }

    public boolean hasInterval() {
        return low != null;
    }
}
