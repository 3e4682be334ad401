package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ContributionBoundTest {

    @Test
    void mIsThirtyTwoOrTheCatalogsItemsIfFewer() {
        assertThat(ContributionBound.m(5)).isEqualTo(5);
        assertThat(ContributionBound.m(32)).isEqualTo(32);
        assertThat(ContributionBound.m(41)).isEqualTo(32);
        assertThat(ContributionBound.m(Long.MAX_VALUE)).isEqualTo(32);
        assertThatThrownBy(() -> ContributionBound.m(-1)).hasMessageContaining("negative");
    }

    @Property(tries = 300)
    void aReportNeverMarksMoreThanMItemsAndOnlyItsOwn(@ForAll @IntRange(max = 80) int used,
                                                       @ForAll @IntRange(max = 40) int m,
                                                       @ForAll long seed) {
        List<Integer> items = IntStream.range(0, used).boxed().collect(Collectors.toList());
        List<Integer> kept = ContributionBound.select(items, m, new Random(seed));
        assertThat(kept).hasSize(Math.min(used, m));
        assertThat(new HashSet<>(kept)).hasSize(kept.size());
        assertThat(items).containsAll(kept);
    }

    @Test
    void everySubsetOfSizeMIsEquallyLikely() {
        // 5 items, m = 2: 10 subsets. Chi-square with 9 degrees of freedom; 27.88 is the 0.999 quantile.
        List<String> items = List.of("a", "b", "c", "d", "e");
        Random random = new Random(7);
        Map<String, Integer> seen = new HashMap<>();
        int draws = 50_000;
        for (int i = 0; i < draws; i++) {
            String subset = ContributionBound.select(items, 2, random).stream().sorted().collect(Collectors.joining());
            seen.merge(subset, 1, Integer::sum);
        }
        assertThat(seen).hasSize(10);
        double expected = draws / 10.0;
        double chiSquare = seen.values().stream().mapToDouble(o -> (o - expected) * (o - expected) / expected).sum();
        assertThat(chiSquare).isLessThan(27.88);
    }

    @Test
    void aReportWithFewItemsKeepsThemAll() {
        assertThat(ContributionBound.select(List.of("a", "b"), 32, new Random(1))).containsExactly("a", "b");
    }
}
