package dev.candor.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscreteLaplaceTest {
    private static final int N = 200_000;

    @ParameterizedTest(name = "scale {0}/{1}")
    @CsvSource({"1,1", "3,2", "10,1", "1,3", "5,7", "100,1"})
    void samplesFitTheExactPmf(long num, long den) {
        double scale = (double) num / den;
        Random random = new Random(20261124L + num * 31 + den);
        int range = 5000;
        long[] counts = new long[2 * range + 1];
        for (int i = 0; i < N; i++) {
            long z = DiscreteLaplace.sample(random, num, den);
            counts[(int) Math.max(-range, Math.min(range, z)) + range]++;
        }
        // Bins: every z whose expected count is at least 5, plus the two tails lumped together.
        long h = 0;
        while (N * DiscreteLaplace.pmf(h + 1, scale) >= 5) {
            h++;
        }
        double chi2 = 0;
        int bins = 0;
        double inner = 0;
        long innerObserved = 0;
        for (long z = -h; z <= h; z++) {
            double expected = N * DiscreteLaplace.pmf(z, scale);
            long observed = counts[(int) z + range];
            chi2 += (observed - expected) * (observed - expected) / expected;
            inner += expected;
            innerObserved += observed;
            bins++;
        }
        double tailExpected = N - inner;
        long tailObserved = N - innerObserved;
        if (tailExpected >= 5) {
            chi2 += (tailObserved - tailExpected) * (tailObserved - tailExpected) / tailExpected;
            bins++;
        }
        assertThat(chi2).as("chi-square with %d bins", bins).isLessThan(chiSquareCritical(bins - 1));
    }

    @ParameterizedTest(name = "scale {0}/{1}")
    @CsvSource({"1,1", "10,3", "20,1"})
    void meanIsZeroAndSignsAreSymmetric(long num, long den) {
        double scale = (double) num / den;
        double q = Math.exp(-1 / scale);
        double variance = 2 * q / ((1 - q) * (1 - q));
        Random random = new Random(42 + num);
        double sum = 0;
        long positive = 0;
        long negative = 0;
        long zero = 0;
        for (int i = 0; i < N; i++) {
            long z = DiscreteLaplace.sample(random, num, den);
            sum += z;
            if (z > 0) {
                positive++;
            } else if (z < 0) {
                negative++;
            } else {
                zero++;
            }
        }
        assertThat(Math.abs(sum / N)).isLessThan(4 * Math.sqrt(variance / N));
        double pSide = (1 - DiscreteLaplace.pmf(0, scale)) / 2;
        double sideSd = Math.sqrt(N * pSide * (1 - pSide));
        assertThat((double) Math.abs(positive - negative)).isLessThan(4 * Math.sqrt(2) * sideSd);
        double p0 = DiscreteLaplace.pmf(0, scale);
        assertThat(Math.abs(zero - N * p0)).isLessThan(4 * Math.sqrt(N * p0 * (1 - p0)));
    }

    @Test
    void bernoulliExpMinusHasTheRightRate() {
        Random random = new Random(7);
        for (long[] g : new long[][] {{0, 1}, {1, 2}, {1, 1}, {5, 2}, {3, 1}}) {
            int hits = 0;
            for (int i = 0; i < N; i++) {
                if (DiscreteLaplace.bernoulliExpMinus(random, g[0], g[1])) {
                    hits++;
                }
            }
            double p = Math.exp(-(double) g[0] / g[1]);
            assertThat(Math.abs(hits - N * p)).as("exp(-%d/%d)", g[0], g[1])
                    .isLessThanOrEqualTo(4 * Math.sqrt(N * p * (1 - p)) + 1e-9);
        }
    }

    @Test
    void uniformBelowIsUniform() {
        Random random = new Random(9);
        int bound = 7;
        long[] counts = new long[bound];
        for (int i = 0; i < 70_000; i++) {
            counts[(int) DiscreteLaplace.uniformBelow(random, bound)]++;
        }
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - 10_000.0) * (c - 10_000.0) / 10_000.0;
        }
        assertThat(chi2).isLessThan(chiSquareCritical(bound - 1));
        assertThat(DiscreteLaplace.uniformBelow(random, 1)).isZero();
    }

    @Test
    void pmfSumsToOne() {
        for (double scale : new double[] {0.2, 1, 3.3, 50}) {
            double total = 0;
            for (long z = -20_000; z <= 20_000; z++) {
                total += DiscreteLaplace.pmf(z, scale);
            }
            assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void tailBoundMatchesTheClosedForm() {
        // Scale 1: q = e^-1, P(|Z| > h) = 2 e^-(h+1) / (1 + e^-1) = 0.198, 0.0728, 0.0268 for h = 1, 2, 3.
        assertThat(DiscreteLaplace.tailBound(1, 0.95)).isEqualTo(3);
        assertThat(DiscreteLaplace.tailBound(1, 0.90)).isEqualTo(2);
        assertThat(DiscreteLaplace.tailBound(1, 0.80)).isEqualTo(1);
        assertThat(DiscreteLaplace.tailBound(1, 0)).isEqualTo(0);
        assertThatThrownBy(() -> DiscreteLaplace.tailBound(1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiscreteLaplace.tailBound(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void tailBoundIsTheSmallestThatHolds(@ForAll @DoubleRange(min = 0.05, max = 500) double scale,
            @ForAll @DoubleRange(min = 0, max = 0.9999) @net.jqwik.api.constraints.Scale(6) double confidence) {
        long h = DiscreteLaplace.tailBound(scale, confidence);
        assertThat(h).isGreaterThanOrEqualTo(0);
        assertThat(tail(h, scale)).isLessThanOrEqualTo(1 - confidence + 1e-12);
        if (h > 0) {
            assertThat(tail(h - 1, scale)).isGreaterThan(1 - confidence - 1e-12);
        }
    }

    @Property(tries = 200)
    void scaleForEpsilonIsExact(@ForAll @LongRange(min = 1, max = 100_000) long thousandths) {
        BigDecimal epsilon = BigDecimal.valueOf(thousandths, 3);
        long[] scale = DiscreteLaplace.scaleForEpsilon(epsilon);
        // num / den == 1 / ε exactly  ⇔  num · ε == den
        assertThat(BigDecimal.valueOf(scale[0]).multiply(epsilon)).isEqualByComparingTo(BigDecimal.valueOf(scale[1]));
        assertThat(java.math.BigInteger.valueOf(scale[0]).gcd(java.math.BigInteger.valueOf(scale[1])))
                .isEqualTo(java.math.BigInteger.ONE);
    }

    @Test
    void scaleForEpsilonExamples() {
        assertThat(DiscreteLaplace.scaleForEpsilon(new BigDecimal("1.0"))).containsExactly(1, 1);
        assertThat(DiscreteLaplace.scaleForEpsilon(new BigDecimal("0.3"))).containsExactly(10, 3);
        assertThat(DiscreteLaplace.scaleForEpsilon(new BigDecimal("0.1"))).containsExactly(10, 1);
        assertThat(DiscreteLaplace.scaleForEpsilon(new BigDecimal("2.5"))).containsExactly(2, 5);
        assertThat(DiscreteLaplace.scaleForEpsilon(new BigDecimal("1E+2"))).containsExactly(1, 100);
        assertThatThrownBy(() -> DiscreteLaplace.scaleForEpsilon(BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiscreteLaplace.sample(new Random(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksOnSecureRandomAndHugeScales() {
        SecureRandom secure = new SecureRandom();
        for (int i = 0; i < 1000; i++) {
            DiscreteLaplace.sample(secure, 1, 1);
        }
        // A scale whose denominator times k overflows a long still samples (BigInteger path).
        Random random = new Random(1);
        long sum = 0;
        for (int i = 0; i < 2000; i++) {
            sum += Math.abs(DiscreteLaplace.sample(random, Long.MAX_VALUE / 3, Long.MAX_VALUE / 5));
        }
        assertThat(sum).isPositive();
        // A tiny scale is almost always exactly zero.
        int nonZero = 0;
        for (int i = 0; i < 1000; i++) {
            if (DiscreteLaplace.sample(random, 1, 1000) != 0) {
                nonZero++;
            }
        }
        assertThat(nonZero).isLessThanOrEqualTo(1);
    }

    private static double tail(long h, double scale) {
        double q = Math.exp(-1 / scale);
        return 2 * Math.pow(q, h + 1) / (1 + q);
    }

    /** Upper 0.1% point of chi-square with k degrees of freedom (Wilson–Hilferty). */
    private static double chiSquareCritical(int k) {
        double z = 3.0902; // one-sided 0.999 normal quantile
        double a = 2.0 / (9.0 * k);
        return k * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
