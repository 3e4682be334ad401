package dev.candor.server.cli;

import dev.candor.server.stats.Breakdowns;
import dev.candor.server.stats.Estimate;
import dev.candor.server.stats.LedgerEntry;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsRelease;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A release as text for a terminal: aligned tables, 95% intervals, small bar charts made of
 * Unicode blocks, and the word "suppressed" wherever the release withheld a number. Uses the
 * same number formats as the dashboard ({@link Numbers}).
 */
final class StatsText {

    static final int BAR = 20;

    private StatsText() {
    }

    /** The header: what this is and which privacy guarantee it carries. */
    static String header(StatsRelease r, List<LedgerEntry> ledger) {
        StringBuilder s = new StringBuilder();
        s.append(r.app()).append(" · ").append(r.period()).append(" · ")
                .append(r.by().equals(Breakdowns.OVERALL) ? "overall" : "by " + r.by()).append('\n');
        if (r.exact()) {
            s.append("EXACT rollup (maintainer only, not a release: never publish these numbers)\n");
        } else {
            s.append("Private release: ε = ").append(Numbers.epsilon(r.epsilon())).append(" for this breakdown, m = ")
                    .append(r.m()).append(", 95% intervals");
            double cumulative = ledger.isEmpty() ? 0 : ledger.get(ledger.size() - 1).cumulativeEpsilon();
            if (!ledger.isEmpty()) {
                s.append("; ").append(r.app()).append("'s ledger: ε = ").append(Numbers.epsilon(cumulative))
                        .append(" in ").append(ledger.size()).append(" releases");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Installs of every released period, oldest first, as a table with bars. */
    static String installsOverTime(List<String> periods, List<Estimate> installs) {
        double max = 0;
        for (Estimate e : installs) {
            if (!e.suppressed()) {
                max = Math.max(max, e.hasInterval() ? e.high() : e.value());
            }
        }
        TerminalTable t = new TerminalTable(List.of("period", "installs", "", "95% interval"), false, true, false, false);
        for (int i = 0; i < periods.size(); i++) {
            Estimate e = installs.get(i);
            t.row(periods.get(i), Numbers.count(e), e.suppressed() ? " ".repeat(BAR) : TerminalTable.bar(e.value() / max, BAR),
                    Numbers.countInterval(e));
        }
        return "Installs per period\n" + t.render("  ");
    }

    /** One overall group: installs, then every item's share with bars, then noised totals. */
    static String overall(StatsGroup g) {
        StringBuilder s = new StringBuilder();
        s.append("Installs  ").append(Numbers.count(g.installs()));
        if (g.installs().hasInterval()) {
            s.append("  (95% interval ").append(Numbers.countInterval(g.installs())).append(')');
        }
        s.append("\n\n");
        s.append(itemTable(g.items()));
        String totals = totalsTable(g.items());
        if (!totals.isEmpty()) {
            s.append('\n').append(totals);
        }
        return s.toString();
    }

    /** A breakdown by one dimension: installs per group, then each item's share per group. */
    static String breakdown(StatsRelease r) {
        StringBuilder s = new StringBuilder();
        double max = 0;
        for (StatsGroup g : r.groups()) {
            if (!g.installs().suppressed()) {
                max = Math.max(max, g.installs().value());
            }
        }
        TerminalTable installs = new TerminalTable(List.of(r.by(), "installs", "", "95% interval"), false, true, false, false);
        for (StatsGroup g : r.groups()) {
            Estimate e = g.installs();
            installs.row(g.keyValue(), Numbers.count(e), e.suppressed() ? " ".repeat(BAR) : TerminalTable.bar(e.value() / max, BAR),
                    Numbers.countInterval(e));
        }
        s.append("Installs by ").append(r.by()).append('\n').append(installs.render("  ")).append('\n');

        List<String> headers = new ArrayList<>();
        headers.add("share of installs using");
        boolean[] right = new boolean[r.groups().size() + 1];
        for (int i = 0; i < r.groups().size(); i++) {
            headers.add(r.groups().get(i).keyValue());
            right[i + 1] = true;
        }
        TerminalTable shares = new TerminalTable(headers, right);
        for (String label : presenceLabels(r.groups())) {
            List<String> row = new ArrayList<>();
            row.add(label);
            for (StatsGroup g : r.groups()) {
                row.add(g.items().stream().filter(i -> indentedLabel(i).equals(label) && i.share() != null)
                        .findFirst().map(i -> shareCell(i.share())).orElse(""));
            }
            shares.row(row.toArray(new String[0]));
        }
        s.append("Share of installs by ").append(r.by()).append(" (± half the 95% interval)\n").append(shares.render("  "));
        return s.toString();
    }

    static String footnote() {
        return "\nsuppressed: too few installs or too uncertain to publish safely; no estimate is given (see Candor's docs/PRIVACY.md).\n";
    }

    private static String itemTable(List<StatsItem> items) {
        TerminalTable t = new TerminalTable(List.of("share of installs using", "share", "", "95% interval", "installs", "95% interval"),
                false, true, false, false, true, false);
        int rows = 0;
        for (StatsItem i : items) {
            if (i.share() == null && i.installsUsing() == null) {
                continue;
            }
            Estimate share = i.share() != null ? i.share() : Estimate.withheld();
            Estimate using = i.installsUsing() != null ? i.installsUsing() : Estimate.withheld();
            t.row(indentedLabel(i), Numbers.percent(share),
                    share.suppressed() ? " ".repeat(BAR) : TerminalTable.bar(share.value(), BAR),
                    Numbers.percentInterval(share), Numbers.count(using), Numbers.countInterval(using));
            rows++;
        }
        return rows == 0 ? "" : t.render("  ");
    }

    private static String totalsTable(List<StatsItem> items) {
        TerminalTable t = new TerminalTable(List.of("total count (noised on the device)", "total", "95% interval"),
                false, true, false);
        int rows = 0;
        for (StatsItem i : items) {
            if (i.total() != null && i.installsUsing() == null) {
                t.row(indentedLabel(i), Numbers.count(i.total()), Numbers.countInterval(i.total()));
                rows++;
            }
        }
        return rows == 0 ? "" : t.render("  ");
    }

    private static Set<String> presenceLabels(List<StatsGroup> groups) {
        Set<String> labels = new LinkedHashSet<>();
        for (StatsGroup g : groups) {
            for (StatsItem i : g.items()) {
                if (i.share() != null) {
                    labels.add(indentedLabel(i));
                }
            }
        }
        return labels;
    }

    /** {@code command_run} or, under it, {@code   command = convert}. */
    static String indentedLabel(StatsItem i) {
        return i.isEventLevel() ? i.event() : "  " + i.event() + "." + i.field() + " = " + i.value();
    }

    private static String shareCell(Estimate e) {
        if (e.suppressed()) {
            return Numbers.SUPPRESSED;
        }
        if (!e.hasInterval()) {
            return Numbers.percent(e.value());
        }
        double half = (e.high() - e.low()) / 2 * 100;
        return Numbers.percent(e.value()) + " ±" + String.format(java.util.Locale.ROOT, "%.1f", half);
    }
}
