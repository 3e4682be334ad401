package dev.candor.server.release;

import dev.candor.internal.noise.DiscreteLaplace;

/**
 * The 95% intervals of a release and its suppression rule (DESIGN §7).
 *
 * <p>A noisy count {@code X = x + Z} holds the true {@code x} in {@code [X - h, X + h]} whenever
 * {@code |Z| ≤ h}; h is the exact discrete Laplace tail bound with {@code P(|Z| ≤ h) ≥ 0.95}, from
 * the SDK's shared sampler. A share {@code x / n} is estimated by {@code X / N}; when both counts
 * lie within their bounds, the true share lies in
 * {@code [(X - h) / (N + h), (X + h) / (N - h)]}, clamped to [0, 1].
 *
 * <p>Suppression: a number is suppressed when its group's noisy installs are under
 * {@value #MIN_INSTALLS}, its own noisy count is under {@value #MIN_COUNT}, or its interval is
 * wider than half its value.
 */
public final class Intervals {

    /** The confidence of every published interval. */
    public static final double CONFIDENCE = 0.95;
    /** Groups whose noisy installs are below this publish no estimate. */
    public static final long MIN_INSTALLS = 100;
    /** Counts below this publish no estimate. */
    public static final long MIN_COUNT = 20;

    private Intervals() {
    }

    /** h: the half width of the 95% interval of a count noised at {@code scale}. */
    public static long halfWidth(NoiseScale scale) {
        return DiscreteLaplace.tailBound(scale.value(), CONFIDENCE);
    }

    /** A group's installs: suppressed under {@value #MIN_INSTALLS} or when too wide. */
    public static Estimate installs(long noisy, long h) {
        if (noisy < MIN_INSTALLS) {
            return Estimate.SUPPRESSED;
        }
        return count(noisy, h);
    }

    /** A count inside a group whose installs were published; suppressed under {@value #MIN_COUNT} or when too wide. */
    public static Estimate itemCount(long noisy, long h) {
        if (noisy < MIN_COUNT) {
            return Estimate.SUPPRESSED;
        }
        return count(noisy, h);
    }

    private static Estimate count(long noisy, long h) {
        long low = Math.max(0, noisy - h);
        long high = noisy + h;
        if (tooWide(low, high, noisy)) {
            return Estimate.SUPPRESSED;
        }
        return Estimate.count(noisy, low, high);
    }

    /**
     * The share {@code used / installs} of two published noisy counts, both with half width h.
     * Callers pass counts that were themselves published (not suppressed).
     */
    public static Estimate share(long used, long installs, long h) {
        double estimate = clamp((double) used / installs);
        double low = clamp((double) (used - h) / (installs + h));
        double high = installs - h > 0 ? clamp((double) (used + h) / (installs - h)) : 1.0;
        if (tooWide(low, high, estimate)) {
            return Estimate.SUPPRESSED;
        }
        return Estimate.share(round(estimate), roundDown(low), roundUp(high));
    }

    private static boolean tooWide(double low, double high, double value) {
        return high - low > value / 2;
    }

    private static double clamp(double share) {
        return Math.max(0.0, Math.min(1.0, share));
    }

    // Shares are published to four decimals; the interval is widened outwards, never narrowed.
    private static final double UNIT = 1e4;

    private static double round(double x) {
        return Math.round(x * UNIT) / UNIT;
    }

    private static double roundDown(double x) {
        return Math.floor(x * UNIT) / UNIT;
    }

    private static double roundUp(double x) {
        return Math.min(1.0, Math.ceil(x * UNIT) / UNIT);
    }
}
