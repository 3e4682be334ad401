package dev.candor.server.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Releases of the acme app in the stats API's exact shape, made up deterministically: installs
 * growing over the days, skewed feature use, an operating system too rare to publish, and the
 * suppression rules of DESIGN §7 applied to the made-up noise. Written as a
 * {@link JsonFilesStatsSource} folder so tests read them the way the surfaces read real ones.
 */
public final class AcmeFixtures {

    public static final String APP = "acme";
    public static final double EPSILON = 0.5;
    public static final int M = 32;
    /** Half-width of a count's 95% interval for scale (1 + m)/ε: ≈ b·ln(1/0.05). */
    static final double H = Math.ceil((1 + M) / EPSILON * Math.log(20));

    /** Every released period, oldest first. */
    public static final List<String> PERIODS = periods(LocalDate.of(2026, 11, 10), 14);
    /** One period with stored reports but no release yet. */
    public static final String OPEN_PERIOD = "2026-11-24";

    /** The true share of installs using each item, before breakdowns. */
    static final Map<String, Double> USE = new LinkedHashMap<>();
    static {
        USE.put("command_run", 0.86);
        USE.put("command_run|command|convert", 0.24);
        USE.put("command_run|command|count", 0.61);
        USE.put("command_run|command|hash", 0.09);
        USE.put("command_run|success|true", 0.85);
        USE.put("command_run|success|false", 0.21);
        USE.put("command_run|duration|<100ms", 0.70);
        USE.put("command_run|duration|100ms-1s", 0.33);
        USE.put("command_run|duration|1s-5s", 0.12);
        USE.put("command_run|duration|5s-30s", 0.04);
        USE.put("command_run|duration|>30s", 0.005);
        USE.put("error", 0.21);
        USE.put("error|type|java.nio.file.NoSuchFileException", 0.15);
        USE.put("error|type|java.io.IOException", 0.05);
        USE.put("error|type|other", 0.01);
    }

    static final Map<String, Map<String, Double>> DIMENSION_SHARES = new LinkedHashMap<>();
    static {
        DIMENSION_SHARES.put("app_version", ordered("2.0", 0.7, "1.9", 0.25, "1.8", 0.05));
        DIMENSION_SHARES.put("os", ordered("linux", 0.62, "macos", 0.24, "windows", 0.13, "other", 0.01));
        DIMENSION_SHARES.put("arch", ordered("x64", 0.78, "arm64", 0.22));
        DIMENSION_SHARES.put("runtime", ordered("java_21", 0.48, "java_17", 0.4, "java_11", 0.12));
        DIMENSION_SHARES.put("memory_tier", ordered("high", 0.55, "medium", 0.4, "low", 0.05));
        DIMENSION_SHARES.put("install_method", ordered("maven", 0.5, "brew", 0.3, "zip", 0.2));
        DIMENSION_SHARES.put("ci", ordered("false", 0.8, "true", 0.2));
    }

    private AcmeFixtures() {
    }

    /** Writes every period's releases, the ledger, and exact rollups of {@link #OPEN_PERIOD}. */
    public static Path write(Path dir) throws IOException {
        Path app = dir.resolve(APP);
        Random random = new Random(20261124);
        List<LedgerEntry> ledger = new ArrayList<>();
        double cumulative = 0;
        for (int d = 0; d < PERIODS.size(); d++) {
            String period = PERIODS.get(d);
            double installs = trueInstalls(d);
            for (String by : Breakdowns.ALL) {
                StatsRelease release = release(period, by, installs, random, false);
                write(app.resolve("releases").resolve(period).resolve(by + ".json"), StatsJson.write(release));
                cumulative += EPSILON;
                ledger.add(new LedgerEntry(APP, period, by, EPSILON, Math.round(cumulative * 1000) / 1000.0));
            }
        }
        write(app.resolve("ledger.json"), StatsJson.writeLedger(APP, ledger));
        for (String by : Breakdowns.ALL) {
            StatsRelease rollup = release(OPEN_PERIOD, by, trueInstalls(PERIODS.size()), random, true);
            write(app.resolve("rollups").resolve(OPEN_PERIOD).resolve(by + ".json"), StatsJson.write(rollup));
        }
        return dir;
    }

    /** The true installs of day {@code d}: growing, with a weekend dip. */
    static double trueInstalls(int d) {
        double base = 4200 + 60 * d;
        return Math.round(LocalDate.parse(PERIODS.get(0)).plusDays(d).getDayOfWeek().getValue() >= 6 ? base * 0.8 : base);
    }

    private static StatsRelease release(String period, String by, double installs, Random random, boolean exact) {
        List<StatsGroup> groups = new ArrayList<>();
        Map<String, Double> shares = by.equals(Breakdowns.OVERALL) ? Map.of("", 1.0) : DIMENSION_SHARES.get(by);
        for (Map.Entry<String, Double> g : shares.entrySet()) {
            double n = Math.round(installs * g.getValue());
            Map<String, String> key = by.equals(Breakdowns.OVERALL) ? Map.of() : Map.of(by, g.getKey());
            Estimate groupInstalls = exact ? Estimate.exact(n) : count(n + noise(random), 100);
            List<StatsItem> items = new ArrayList<>();
            for (Map.Entry<String, Double> u : USE.entrySet()) {
                String[] parts = u.getKey().split("\\|");
                double using = Math.round(n * u.getValue());
                Estimate usingEst;
                Estimate share;
                if (exact) {
                    usingEst = Estimate.exact(using);
                    share = Estimate.exact(n == 0 ? 0 : using / n);
                } else {
                    double x = using + noise(random);
                    usingEst = count(x, 20);
                    share = share(x, groupInstalls);
                }
                items.add(new StatsItem(parts[0], parts.length > 1 ? parts[1] : null,
                        parts.length > 1 ? parts[2] : null, usingEst, share, null));
            }
            // input_size is noised on the device: releases leave it out; exact rollups have its totals
            for (String size : exact ? List.of("<1KB", "1KB-1MB", "1MB-100MB", ">100MB") : List.<String>of()) {
                double total = Math.round(n * (size.equals("1KB-1MB") ? 3.1 : size.equals("<1KB") ? 1.2 : 0.4));
                items.add(new StatsItem("input_size", "size", size, null, null, Estimate.exact(total)));
            }
            groups.add(new StatsGroup(key, groupInstalls, items));
        }
        return new StatsRelease(APP, period, by, exact ? null : EPSILON, exact ? null : M, groups);
    }

    private static Estimate count(double x, double floor) {
        double lo = Math.max(0, x - H);
        double hi = x + H;
        if (x < floor || hi - lo > x / 2) {
            return Estimate.withheld();
        }
        return Estimate.noisy(x, lo, hi);
    }

    private static Estimate share(double x, Estimate installs) {
        if (installs.suppressed()) {
            return Estimate.withheld();
        }
        double n = installs.value();
        double lo = Math.max(0, (x - H) / (n + H));
        double hi = Math.min(1, (x + H) / (n - H));
        double s = Math.min(1, Math.round(x / n * 1000) / 1000.0);
        if (x < 20 || hi - lo > s / 2) {
            return Estimate.withheld();
        }
        return Estimate.noisy(s, Math.round(lo * 1000) / 1000.0, Math.round(hi * 1000) / 1000.0);
    }

    private static double noise(Random random) {
        return Math.round(random.nextGaussian() * 60);
    }

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    private static List<String> periods(LocalDate first, int days) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            out.add(first.plusDays(i).toString());
        }
        return List.copyOf(out);
    }

    private static void write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }
}
