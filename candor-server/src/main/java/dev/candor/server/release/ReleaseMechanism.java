package dev.candor.server.release;

import dev.candor.internal.noise.DiscreteLaplace;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns the exact, contribution-bounded counts of one breakdown into a private release
 * (DESIGN §7): every count gets discrete Laplace noise of scale {@code (1 + m) / ε}, drawn by the
 * SDK's exact integer sampler; keys the catalog does not fix appear only above
 * {@link OpenKeyThreshold}; each number gets its 95% interval or is suppressed ({@link Intervals}).
 * Shares are computed from the noisy counts (post-processing, no privacy spent).
 *
 * <p>Because one report adds at most 1 to the installs and 1 to each of at most m items (the
 * caller bounds it with {@link ContributionBound}), the whole breakdown is (ε, δ)-differentially
 * private for one report, δ = {@value OpenKeyThreshold#DELTA}.
 */
public final class ReleaseMechanism {

    /** The ε of a breakdown when the configuration names none. */
    public static final double DEFAULT_EPSILON = 0.5;

    private ReleaseMechanism() {
    }

    /**
     * The release of {@code counts}. {@code random} must be a {@link java.security.SecureRandom}
     * outside tests; {@code notes} are published as they are.
     */
    public static Release release(String app, String period, BreakdownCounts counts, double epsilon, int m,
                                  List<String> notes, Random random) {
        NoiseScale scale = NoiseScale.of(m, epsilon);
        long h = Intervals.halfWidth(scale);
        long tau = OpenKeyThreshold.threshold(scale.value(), OpenKeyThreshold.DELTA, 1 + m);
        List<Release.Group> groups = new ArrayList<>();
        for (BreakdownCounts.Group group : counts.groups()) {
            long installs = group.installs() + noise(scale, random);
            // Noise is drawn for every number before any decision, so what is published never
            // depends on which numbers were drawn.
            long[] used = new long[group.items().size()];
            for (int i = 0; i < used.length; i++) {
                used[i] = group.items().get(i).installsUsing() + noise(scale, random);
            }
            if (group.keyOpen() && installs < tau) {
                continue;
            }
            Estimate installsEstimate = Intervals.installs(installs, h);
            List<Release.Published> items = new ArrayList<>();
            List<Release.Published> cells = new ArrayList<>();
            for (int i = 0; i < used.length; i++) {
                BreakdownCounts.ItemCount item = group.items().get(i);
                if (item.open() && used[i] < tau) {
                    continue;
                }
                Estimate usedEstimate = installsEstimate.suppressed() ? Estimate.SUPPRESSED : Intervals.itemCount(used[i], h);
                Estimate share = usedEstimate.suppressed() ? Estimate.SUPPRESSED : Intervals.share(used[i], installs, h);
                Release.Published published = new Release.Published(item.item(), usedEstimate, share);
                (item.item().kind() == Item.Kind.CELL ? cells : items).add(published);
            }
            groups.add(new Release.Group(group.key(), installsEstimate, items, cells));
        }
        return new Release(app, period, counts.by(), epsilon, m, OpenKeyThreshold.DELTA, tau, groups, notes);
    }

    private static long noise(NoiseScale scale, Random random) {
        return DiscreteLaplace.sample(random, scale.numerator(), scale.denominator());
    }
}
