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

    @Override
    public String toString() {
        return Arrays.toString(sorted);
    }
}
