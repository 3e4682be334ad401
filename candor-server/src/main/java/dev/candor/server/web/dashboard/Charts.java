package dev.candor.server.web.dashboard;

import static dev.candor.server.web.dashboard.Html.esc;

import dev.candor.server.stats.Estimate;
import dev.candor.server.stats.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Server-rendered SVG charts. Every mark carries its number in a {@code <title>} (a tooltip and
 * what a screen reader says) and in {@code data-} attributes, and every chart sits next to the same
 * numbers as HTML text, so nothing depends on JavaScript. Suppressed numbers are drawn as a
 * dashed outline, never as a value.
 */
public final class Charts {

    static final int LINE_W = 640;
    static final int LINE_H = 220;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 30;

    private Charts() {
    }

    /** One point of a line chart: a period and its estimate. */
    public record Point(String label, Estimate estimate) {
    }

    /**
     * A line of estimates over periods with its 95% interval as a shaded band. Suppressed points
     * break the line and are marked on the axis.
     */
    public static String lineWithBand(List<Point> points, String title) {
        double max = 0;
        for (Point p : points) {
            Estimate e = p.estimate();
            if (!e.suppressed()) {
                max = Math.max(max, e.hasInterval() ? e.high() : e.value());
            }
        }
        double top = niceCeiling(max <= 0 ? 1 : max * 1.08);
        int plotW = LINE_W - LEFT - RIGHT;
        int plotH = LINE_H - TOP - BOTTOM;
        int n = points.size();
        Function<Integer, Double> x = i -> LEFT + (n == 1 ? plotW / 2.0 : plotW * i / (double) (n - 1));
        Function<Double, Double> y = v -> TOP + plotH - plotH * v / top;

        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"line-chart\" viewBox=\"0 0 ").append(LINE_W).append(' ').append(LINE_H)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        s.append("<title>").append(esc(title)).append("</title>");
        // grid and y ticks
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            double yy = y.apply(v);
            s.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LINE_W - RIGHT)
                    .append("\" y1=\"").append(f(yy)).append("\" y2=\"").append(f(yy)).append("\"/>");
            s.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(f(yy + 4))
                    .append("\" text-anchor=\"end\">").append(esc(Numbers.count(v))).append("</text>");
        }
        // x labels: first, last, and a few between
        int step = Math.max(1, (int) Math.ceil(n / 6.0));
        for (int i = 0; i < n; i++) {
            boolean tick = i == n - 1 || (i % step == 0 && (n - 1 - i) * 2 >= step);
            if (tick) {
                String anchor = n == 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle";
                s.append("<text class=\"tick\" x=\"").append(f(x.apply(i))).append("\" y=\"")
                        .append(LINE_H - 8).append("\" text-anchor=\"").append(anchor).append("\">")
                        .append(esc(shortPeriod(points.get(i).label()))).append("</text>");
            }
        }
        // band and line, one segment per run of unsuppressed points
        for (List<Integer> run : runs(points)) {
            StringBuilder band = new StringBuilder();
            for (int i : run) {
                Estimate e = points.get(i).estimate();
                band.append(f(x.apply(i))).append(',').append(f(y.apply(e.hasInterval() ? e.high() : e.value()))).append(' ');
            }
            for (int k = run.size() - 1; k >= 0; k--) {
                int i = run.get(k);
                Estimate e = points.get(i).estimate();
                band.append(f(x.apply(i))).append(',').append(f(y.apply(e.hasInterval() ? e.low() : e.value()))).append(' ');
            }
            s.append("<polygon class=\"band\" points=\"").append(band.toString().trim()).append("\"/>");
            StringBuilder line = new StringBuilder();
            for (int i : run) {
                line.append(f(x.apply(i))).append(',').append(f(y.apply(points.get(i).estimate().value()))).append(' ');
            }
            s.append("<polyline class=\"line\" points=\"").append(line.toString().trim()).append("\"/>");
        }
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            Estimate e = p.estimate();
            if (e.suppressed()) {
                double xx = x.apply(i);
                double yy = y.apply(0.0);
                s.append("<g class=\"suppressed-mark\" data-period=\"").append(esc(p.label()))
                        .append("\" data-suppressed=\"true\"><title>").append(esc(p.label()))
                        .append(": suppressed</title><path d=\"M").append(f(xx - 5)).append(',').append(f(yy - 5))
                        .append(" l10,10 m0,-10 l-10,10\"/></g>");
            } else {
                s.append("<circle class=\"dot\" r=\"3.5\" cx=\"").append(f(x.apply(i))).append("\" cy=\"")
                        .append(f(y.apply(e.value()))).append("\" data-period=\"").append(esc(p.label()))
                        .append("\" data-estimate=\"").append(Math.round(e.value())).append("\"><title>")
                        .append(esc(p.label())).append(": ").append(esc(Numbers.count(e)));
                if (e.hasInterval()) {
                    s.append(" (95% interval ").append(esc(Numbers.countInterval(e))).append(')');
                }
                s.append("</title></circle>");
            }
        }
        s.append("</svg>");
        return s.toString();
    }

    /**
     * A horizontal bar for one estimate on a scale from 0 to {@code max}, with its 95% interval as
     * a whisker. Stretches to its cell's width; strokes keep their width.
     */
    public static String bar(Estimate e, double max, boolean share) {
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"bar\" viewBox=\"0 0 100 12\" preserveAspectRatio=\"none\" aria-hidden=\"true\"");
        if (e.suppressed()) {
            s.append(" data-suppressed=\"true\"><rect class=\"withheld\" x=\"0.5\" y=\"1.5\" width=\"99\" height=\"9\"/></svg>");
            return s.toString();
        }
        double scale = max <= 0 ? 1 : max;
        double w = clamp(100 * e.value() / scale);
        s.append(" data-estimate=\"").append(share ? f4(e.value()) : String.valueOf(Math.round(e.value())))
                .append("\"><rect class=\"fill\" x=\"0\" y=\"2\" height=\"8\" width=\"").append(f(w)).append("\"/>");
        if (e.hasInterval()) {
            double lo = clamp(100 * e.low() / scale);
            double hi = clamp(100 * e.high() / scale);
            s.append("<path class=\"whisker\" vector-effect=\"non-scaling-stroke\" d=\"M").append(f(lo))
                    .append(",6 H").append(f(hi)).append(" M").append(f(lo)).append(",2.5 V9.5 M").append(f(hi))
                    .append(",2.5 V9.5\"/>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private static List<List<Integer>> runs(List<Point> points) {
        List<List<Integer>> runs = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).estimate().suppressed()) {
                if (!current.isEmpty()) {
                    runs.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(i);
            }
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code v}, divisible into 4 ticks. */
    static double niceCeiling(double v) {
        double pow = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 4, 5, 8, 10}) {
            if (m * pow >= v) {
                return m * pow;
            }
        }
        return 10 * pow;
    }

    private static String shortPeriod(String period) {
        // 2026-11-24 -> 11-24 keeps axis labels short; other period names pass through
        return period.length() == 10 && period.charAt(4) == '-' ? period.substring(5) : period;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(100, v));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
