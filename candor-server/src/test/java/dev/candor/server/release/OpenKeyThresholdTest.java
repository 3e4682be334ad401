package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.noise.DiscreteLaplace;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenKeyThresholdTest {

    /** P(Z ≥ k) summed from the shared sampler's own pmf, so the closed form is checked against it. */
    private static double tailFromPmf(double scale, long k) {
        double sum = 0;
        for (long z = k; z < k + 60 * (long) Math.ceil(scale); z++) {
            sum += DiscreteLaplace.pmf(z, scale);
        }
        return sum;
    }

    @Test
    void theDefaultThresholdIsTheSmallestThatKeepsOneReportsKeyUnderDelta() {
        double scale = NoiseScale.of(32, 0.5).value();
        long tau = OpenKeyThreshold.threshold(scale, 1e-7, 33);
        assertThat(tau).isEqualTo(1251);
        double perKey = 1e-7 / 33;
        assertThat(tailFromPmf(scale, tau - 1)).isLessThanOrEqualTo(perKey);
        assertThat(tailFromPmf(scale, tau - 2)).isGreaterThan(perKey);
        assertThat(OpenKeyThreshold.singleReportLeak(scale, tau)).isCloseTo(tailFromPmf(scale, tau - 1), org.assertj.core.data.Percentage.withPercentage(1e-6));
    }

    @Test
    void theThresholdIsMinimalForOtherScalesToo() {
        for (double scale : new double[] {1, 2.5, 10, 33, 66, 330}) {
            for (double delta : new double[] {1e-3, 1e-7, 1e-10}) {
                long tau = OpenKeyThreshold.threshold(scale, delta, 1);
                assertThat(tailFromPmf(scale, tau - 1)).as("scale %s delta %s", scale, delta).isLessThanOrEqualTo(delta * (1 + 1e-9));
                if (tau > 2) {
                    assertThat(tailFromPmf(scale, tau - 2)).as("scale %s delta %s", scale, delta).isGreaterThan(delta);
                }
            }
        }
    }

    @Test
    void aKeyHeldByOneReportIsPublishedAboutDeltaOfTheTime() {
        // With a large δ the rate is measurable: a single report's key (true count 1) must cross the
        // threshold at most δ of the time, through the shared sampler.
        double delta = 0.02;
        long tau = OpenKeyThreshold.threshold(5, delta, 1);
        Random random = new Random(11);
        int trials = 100_000;
        int published = 0;
        for (int i = 0; i < trials; i++) {
            if (1 + DiscreteLaplace.sample(random, 5, 1) >= tau) {
                published++;
            }
        }
        double rate = (double) published / trials;
        assertThat(rate).isLessThanOrEqualTo(delta + 0.002).isCloseTo(OpenKeyThreshold.singleReportLeak(5, tau), org.assertj.core.data.Offset.offset(0.002));
    }
}
