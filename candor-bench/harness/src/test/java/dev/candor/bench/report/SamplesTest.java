package dev.candor.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplesTest {

    private static Samples oneTo(int n) {
        List<Double> values = new ArrayList<>();
        IntStream.rangeClosed(1, n).forEach(i -> values.add((double) i));
        Collections.shuffle(values);
        return new Samples(values);
    }

    @Test
    void theMedianIntervalOfFortyPairsIsTheFourteenthToTheTwentySeventhValue() {
        // P(Binomial(40, ½) <= 13) = 0.019 <= 0.025 < P(<= 14) = 0.040: ranks 14 and 27 (the textbook table's).
        assertThat(oneTo(40).medianInterval(0.95)).containsExactly(14.0, 27.0);
    }

    @Test
    void sixValuesAreTheFewestWithANinetyFivePercentInterval() {
        assertThat(oneTo(6).medianInterval(0.95)).containsExactly(1.0, 6.0);
        assertThat(oneTo(5).medianInterval(0.95)).containsExactly(Double.NaN, Double.NaN);
    }

    @Test
    void medianAndQuantilesAreMeasuredValues() {
        Samples samples = oneTo(10);
        assertThat(samples.median()).isEqualTo(5.0);
        assertThat(samples.p90()).isEqualTo(9.0);
        assertThat(samples.min()).isEqualTo(1.0);
        assertThat(samples.max()).isEqualTo(10.0);
    }
}
