package dev.candor.server.release;

/**
 * The threshold a noisy count must reach before a key the catalog does not fix (an error type, an
 * app version, a runtime, an install method) may appear in a release at all.
 *
 * <p>Why: a key that the catalog fixes is always published, used or not, so its presence says
 * nothing. A key that only exists because some report sent it is different: if exactly one report
 * holds it, merely printing the key would reveal that report, whatever the noise on its count. So
 * such a key is published only when its noisy count {@code 1 + Z} reaches a threshold τ that a
 * single report's key crosses with probability at most δ; keys held by more reports are then
 * protected by the noise as usual (the rule of Wilson et al., "Differentially private SQL with
 * bounded user contribution", 2020).
 *
 * <p>The exact discrete computation: the noise is discrete Laplace of scale b, with
 * {@code P(Z = z) = (1 - p)/(1 + p) · p^|z|} and {@code p = exp(-1/b)}. For {@code k ≥ 1},
 * {@code P(Z ≥ k) = p^k / (1 + p)}. The key of a single report is published when
 * {@code 1 + Z ≥ τ}, that is {@code Z ≥ τ - 1}, so τ is the smallest integer with
 * {@code p^(τ-1) / (1 + p) ≤ δ_key}:
 * <pre>τ = 1 + ceil( ln(δ_key · (1 + p)) / ln p )</pre>
 * One report holds at most 1 + m keys in one breakdown (its group's key and its m items), so the
 * release's δ is split evenly: {@code δ_key = δ / (1 + m)}, and by the union bound the chance that
 * any key of one report leaks is at most δ. With m = 32, ε = 0.5 (b = 66) and δ = 10⁻⁷, τ = 1,251.
 */
public final class OpenKeyThreshold {

    /** The δ every release is built for. */
    public static final double DELTA = 1e-7;

    private OpenKeyThreshold() {
    }

    /**
     * The threshold τ for noise of scale {@code scale} and a per-release δ of {@code delta}, when
     * one report holds at most {@code keysPerReport} keys (1 + m).
     */
    public static long threshold(double scale, double delta, int keysPerReport) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, was " + scale);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
        }
        if (keysPerReport < 1) {
            throw new IllegalArgumentException("a report holds at least one key, was " + keysPerReport);
        }
        double perKey = delta / keysPerReport;
        double logP = -1.0 / scale;
        double log1p = Math.log1p(Math.exp(logP));
        long k = Math.max(1, (long) Math.ceil((Math.log(perKey) + log1p) / logP));
        // Guard the ceiling against rounding: k must pass and k - 1 must fail.
        while (k * logP - log1p > Math.log(perKey)) {
            k++;
        }
        while (k > 1 && (k - 1) * logP - log1p <= Math.log(perKey)) {
            k--;
        }
        return 1 + k;
    }

    /** The probability that a key held by a single report reaches {@code threshold}: {@code P(Z ≥ τ - 1)}. */
    public static double singleReportLeak(double scale, long threshold) {
        double p = Math.exp(-1.0 / scale);
        long k = threshold - 1;
        if (k <= 0) {
            // P(Z >= k) for k <= 0 is 1 - P(Z <= k - 1) = 1 - p^(1-k)/(1+p).
            return 1 - Math.pow(p, 1 - k) / (1 + p);
        }
        return Math.pow(p, k) / (1 + p);
    }
}
