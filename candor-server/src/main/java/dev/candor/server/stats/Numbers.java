package dev.candor.server.stats;

import java.util.Locale;

/**
 * How every surface writes a number, so the page, the terminal and the docs agree digit for
 * digit: counts with thousands separators, shares as percentages with one decimal, intervals as
 * "low–high".
 */
public final class Numbers {

    /** What a withheld number reads as, everywhere. */
    public static final String SUPPRESSED = "suppressed";

    private Numbers() {
    }

    public static String count(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** {@code 4,980} or {@code suppressed}. */
    public static String count(Estimate e) {
        return e.suppressed() ? SUPPRESSED : count(e.value());
    }

    /** {@code 24.3%} or {@code suppressed}. */
    public static String percent(Estimate e) {
        return e.suppressed() ? SUPPRESSED : percent(e.value());
    }

    /** {@code 4,902–5,058}, or empty when the number is exact or suppressed. */
    public static String countInterval(Estimate e) {
        return e.hasInterval() ? count(e.low()) + "–" + count(e.high()) : "";
    }

    /** {@code 22.6–26.0%}, or empty when the number is exact or suppressed. */
    public static String percentInterval(Estimate e) {
        if (!e.hasInterval()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f–%.1f%%", e.low() * 100, e.high() * 100);
    }

    /** An epsilon as written in the ledger: no trailing zeros ({@code 0.5}, {@code 12}). */
    public static String epsilon(double eps) {
        String s = String.format(Locale.ROOT, "%.4f", eps);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
