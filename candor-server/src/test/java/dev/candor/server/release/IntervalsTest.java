package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.noise.DiscreteLaplace;
import org.junit.jupiter.api.Test;

class IntervalsTest {

    private static final long H = 198; // the 95% half width at scale 66 (m = 32, ε = 0.5)

    @Test
    void theHalfWidthIsTheExactNinetyFivePercentTailOfTheSharedSampler() {
        double scale = NoiseScale.of(32, 0.5).value();
        long h = Intervals.halfWidth(NoiseScale.of(32, 0.5));
        assertThat(h).isEqualTo(H);
        double inside = 0;
        for (long z = -h; z <= h; z++) {
            inside += DiscreteLaplace.pmf(z, scale);
        }
        assertThat(inside).isGreaterThanOrEqualTo(0.95).isLessThan(0.951);
    }

    @Test
    void aCountIsPublishedWithItsInterval() {
        assertThat(Intervals.itemCount(1210, H)).isEqualTo(Estimate.count(1210, 1012, 1408));
        assertThat(Intervals.installs(4980, H)).isEqualTo(Estimate.count(4980, 4782, 5178));
    }

    @Test
    void installsUnderOneHundredAreSuppressed() {
        assertThat(Intervals.installs(99, 10).suppressed()).isTrue();
        assertThat(Intervals.installs(100, 10).suppressed()).isFalse();
    }

    @Test
    void countsUnderTwentyAreSuppressed() {
        assertThat(Intervals.itemCount(19, 1).suppressed()).isTrue();
        assertThat(Intervals.itemCount(20, 1)).isEqualTo(Estimate.count(20, 19, 21));
    }

    @Test
    void aNumberWhoseIntervalIsWiderThanHalfItsValueIsSuppressed() {
        assertThat(Intervals.itemCount(792, H)).isEqualTo(Estimate.count(792, 594, 990)); // width 396 = 792 / 2
        assertThat(Intervals.itemCount(791, H).suppressed()).isTrue();
        assertThat(Intervals.installs(791, H).suppressed()).isTrue();
        assertThat(Intervals.itemCount(20, 5)).isEqualTo(Estimate.count(20, 15, 25));
        assertThat(Intervals.itemCount(30, 16).suppressed()).isTrue();
    }

    @Test
    void aShareUsesTheRatioIntervalClampedToZeroAndOne() {
        Estimate share = Intervals.share(1210, 4980, H);
        assertThat(share.estimate().doubleValue()).isEqualTo(0.243);
        assertThat(share.low().doubleValue()).isEqualTo(Math.floor((1210.0 - H) / (4980 + H) * 1e4) / 1e4);
        assertThat(share.high().doubleValue()).isEqualTo(Math.ceil((1210.0 + H) / (4980 - H) * 1e4) / 1e4);
        assertThat(share.suppressed()).isFalse();

        Estimate nearlyAll = Intervals.share(5000, 5000, H);
        assertThat(nearlyAll.estimate().doubleValue()).isEqualTo(1.0);
        assertThat(nearlyAll.high().doubleValue()).isEqualTo(1.0);

        Estimate above = Intervals.share(5100, 5000, H);
        assertThat(above.estimate().doubleValue()).isEqualTo(1.0);
    }

    @Test
    void aShareWhoseIntervalIsTooWideIsSuppressed() {
        assertThat(Intervals.share(900, 5000, H).suppressed()).isTrue();
        assertThat(Intervals.share(100, 150, 100).suppressed()).isTrue();
    }
}
