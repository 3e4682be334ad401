package dev.candor.server.simulate;

import dev.candor.internal.record.CellTotals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A made-up but plausible population of acme installs: uneven operating systems, versions and
 * runtimes; some commands common and some rare; installs that differ in how often they run and
 * what they use. Everything is drawn from the given {@link Random}, so a seed replays the same
 * population and the same days.
 */
final class AcmePopulation {

    /** One install's fixed traits. */
    record Install(Map<String, Object> context, String appVersion, double activity, double[] commandUse) {
    }

    static final List<String> COMMANDS = List.of("convert", "count", "hash");
    private static final double[] COMMAND_POPULARITY = {0.75, 0.35, 0.08};
    private static final double[] SUCCESS = {0.96, 0.99, 0.85};
    private static final String[] DURATIONS = {"<100ms", "100ms-1s", "1s-5s", "5s-30s", ">30s"};
    private static final double[][] DURATION_WEIGHTS = {
        {0.0, 0.50, 0.35, 0.12, 0.03},
        {0.80, 0.20, 0.0, 0.0, 0.0},
        {0.0, 0.30, 0.60, 0.10, 0.0},
    };
    private static final String[] ERRORS = {"java.io.IOException", "java.nio.file.NoSuchFileException",
        "dev.candor.examples.acme.AcmeException", "other"};
    private static final double[] ERROR_WEIGHTS = {0.45, 0.35, 0.15, 0.05};
    private static final String[] SIZES = {"<1KB", "1KB-1MB", "1MB-100MB", ">100MB"};
    private static final double[] SIZE_WEIGHTS = {0.20, 0.55, 0.22, 0.03};

    private AcmePopulation() {
    }

    /** A new install with traits drawn from the population's shares. */
    static Install install(Random random) {
        String os = pick(random, new String[] {"linux", "windows", "macos", "other"}, new double[] {0.55, 0.25, 0.17, 0.03});
        String arch = os.equals("macos")
                ? pick(random, new String[] {"arm64", "x64"}, new double[] {0.8, 0.2})
                : pick(random, new String[] {"x64", "arm64", "other"}, new double[] {0.88, 0.10, 0.02});
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("os", os);
        context.put("arch", arch);
        context.put("runtime", pick(random, new String[] {"java_17", "java_21", "java_11", "java_25"}, new double[] {0.45, 0.35, 0.15, 0.05}));
        context.put("memory_tier", pick(random, new String[] {"high", "medium", "low"}, new double[] {0.55, 0.35, 0.10}));
        context.put("install_method", pick(random, new String[] {"maven", "zip", "brew", "docker", "unknown"},
                new double[] {0.40, 0.25, 0.15, 0.10, 0.10}));
        boolean ci = random.nextDouble() < 0.12;
        context.put("ci", ci);
        String version = pick(random, new String[] {"2.0.3", "1.9.1", "1.8.0"}, new double[] {0.6, 0.28, 0.12});
        double activity = ci ? 0.95 : 0.15 + 0.8 * Math.sqrt(random.nextDouble());
        double[] use = new double[COMMANDS.size()];
        for (int c = 0; c < use.length; c++) {
            use[c] = Math.min(0.98, COMMAND_POPULARITY[c] * (0.4 + 1.2 * random.nextDouble()));
        }
        return new Install(context, version, activity, use);
    }

    /** Whether the install runs acme on a given day. */
    static boolean active(Install install, Random random) {
        return random.nextDouble() < install.activity();
    }

    /** What the install records on a day it is active: at least one command run. */
    static CellTotals day(Install install, Random random) {
        CellTotals totals = new CellTotals();
        boolean any = false;
        for (int attempt = 0; !any && attempt < 10; attempt++) {
            for (int c = 0; c < COMMANDS.size(); c++) {
                if (random.nextDouble() >= install.commandUse()[c]) {
                    continue;
                }
                any = true;
                int runs = 1 + geometric(random, 0.45);
                for (int r = 0; r < runs; r++) {
                    boolean success = random.nextDouble() < SUCCESS[c];
                    String duration = pick(random, DURATIONS, DURATION_WEIGHTS[c]);
                    totals.add("command_run", List.of(COMMANDS.get(c), Boolean.toString(success), duration), 1);
                    if (!success) {
                        totals.add("error", List.of(pick(random, ERRORS, ERROR_WEIGHTS)), 1);
                    }
                    if (c != 1) {
                        totals.add("input_size", List.of(pick(random, SIZES, SIZE_WEIGHTS)), 1);
                    }
                }
            }
        }
        return totals;
    }

    private static int geometric(Random random, double stop) {
        int n = 0;
        while (n < 30 && random.nextDouble() >= stop) {
            n++;
        }
        return n;
    }

    private static String pick(Random random, String[] values, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < values.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
