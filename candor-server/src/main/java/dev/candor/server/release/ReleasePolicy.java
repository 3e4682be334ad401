package dev.candor.server.release;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How releases are made: ε per breakdown (default {@value ReleaseMechanism#DEFAULT_EPSILON}) and
 * the grace time after a period closes, for late reports, before its release (default 2 days).
 *
 * @param defaultEpsilon     ε of every breakdown not named in {@code epsilonByBreakdown}
 * @param epsilonByBreakdown ε of particular breakdowns, by name ({@code os}, {@code overall}, …)
 */
public record ReleasePolicy(double defaultEpsilon, Map<String, Double> epsilonByBreakdown, Duration grace) {

    public static final Duration DEFAULT_GRACE = Duration.ofDays(2);

    public ReleasePolicy {
        epsilonByBreakdown = Map.copyOf(epsilonByBreakdown);
        Objects.requireNonNull(grace, "grace");
        NoiseScale.of(0, defaultEpsilon);
        epsilonByBreakdown.forEach((by, e) -> NoiseScale.of(0, e));
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace time cannot be negative: " + grace);
        }
    }

    /** ε = 0.5 for every breakdown, 2 days of grace. */
    public static ReleasePolicy defaults() {
        return new ReleasePolicy(ReleaseMechanism.DEFAULT_EPSILON, Map.of(), DEFAULT_GRACE);
    }

    /** The ε of breakdown {@code by}. */
    public double epsilon(String by) {
        return epsilonByBreakdown.getOrDefault(by, defaultEpsilon);
    }
}
