package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NoiseScaleTest {

    @Test
    void theScaleIsOnePlusMOverEpsilonAsAnExactFraction() {
        assertThat(NoiseScale.of(32, 0.5)).isEqualTo(new NoiseScale(66, 1));
        assertThat(NoiseScale.of(32, 0.3)).isEqualTo(new NoiseScale(110, 1));
        assertThat(NoiseScale.of(32, 0.7)).isEqualTo(new NoiseScale(330, 7));
        assertThat(NoiseScale.of(4, 2)).isEqualTo(new NoiseScale(5, 2));
        assertThat(NoiseScale.of(0, 1e-3)).isEqualTo(new NoiseScale(1000, 1));
        assertThat(NoiseScale.of(32, 0.7).value()).isEqualTo(330.0 / 7);
    }

    @Test
    void anUnusableEpsilonIsRejectedWithTheReason() {
        assertThatThrownBy(() -> NoiseScale.of(32, 0)).hasMessageContaining("epsilon must be a positive finite number, was 0.0");
        assertThatThrownBy(() -> NoiseScale.of(32, -1)).hasMessageContaining("positive");
        assertThatThrownBy(() -> NoiseScale.of(32, Double.NaN)).hasMessageContaining("positive");
        assertThatThrownBy(() -> NoiseScale.of(32, Double.POSITIVE_INFINITY)).hasMessageContaining("positive");
        assertThatThrownBy(() -> NoiseScale.of(32, Math.PI * 1e-300)).hasMessageContaining("too many decimal digits");
    }
}
