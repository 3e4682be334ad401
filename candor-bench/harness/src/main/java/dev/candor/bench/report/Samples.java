package dev.candor.bench.report;

import java.util.Arrays;
import java.util.List;

/** Order statistics of a set of measurements (nearest rank, so every figure is one that was measured). */
final class Samples {
    private final double[] sorted;

    Samples(List<Double> values) {
        this.sorted = values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    }

    boolean isEmpty() {
        return sorted.length == 0;
    }

    int size() {
        return sorted.length;
    }

    double median() {
        return quantile(0.5);
    }

    double p90() {
        return quantile(0.9);
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double quantile(double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * A distribution-free confidence interval for the median at {@code level} (0.95 for 95 %): the order
     * statistics x(r) and x(n+1-r), with r the largest rank for which P(Binomial(n, ½) &lt; r) ≤ (1 − level) / 2.
     * Both ends are measured values. {NaN, NaN} when there are too few values for that level (five or fewer at 95 %).
     */
    double[] medianInterval(double level) {
        int n = sorted.length;
        double tail = (1 - level) / 2;
        double probability = Math.pow(0.5, n); // P(X = 0)
        double cumulative = 0;
        int below = -1; // the largest j with P(X <= j) <= tail
        for (int j = 0; j < n; j++) {
            cumulative += probability;
            if (cumulative > tail) {
                break;
            }
            below = j;
            probability = probability * (n - j) / (j + 1);
        }
        if (below < 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {sorted[below], sorted[n - 1 - below]};
    }

    @Override
    public String toString() {
        return Arrays.toString(sorted);
    }
}
