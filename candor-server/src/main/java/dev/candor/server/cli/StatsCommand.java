package dev.candor.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.stats.Breakdowns;
import dev.candor.server.stats.Estimate;
import dev.candor.server.stats.HttpStatsSource;
import dev.candor.server.stats.LedgerEntry;
import dev.candor.server.stats.StatsJson;
import dev.candor.server.stats.StatsRelease;
import dev.candor.server.stats.StatsSource;
import dev.candor.server.stats.StatsSources;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code candor stats APP}: an app's released numbers in the terminal, from the collector's data
 * folder or from a running collector's stats API. Prints only releases (the same numbers anyone
 * can read), unless {@code --exact} with the admin token asks for a period's exact rollup. Without APP it
 * lists the collector's apps (through {@code --url}, from the admin endpoint {@code GET /v1/apps}).
 * Exit 0 when something was printed, 1 when there is no such release, 2 on bad usage.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print an app's released numbers: aligned tables with 95%% intervals and bar charts.",
                "Without --period: the installs of every released period, then the latest release."})
public final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP",
            description = "The app's name, as in its catalog. Without it: list the collector's apps (with --url, "
                    + "this needs the admin token).")
    String app;

    @Option(names = "--period", paramLabel = "P", description = "A released period, e.g. 2026-11-24 (default: the latest).")
    String period;

    @Option(names = "--by", paramLabel = "DIM", defaultValue = "overall",
            description = "overall (default), app_version, os, arch, runtime, memory_tier, install_method or ci.")
    String by;

    @Option(names = "--data", paramLabel = "DIR", description = "The collector's data folder (default: candor-data in the current folder).")
    Path data;

    @Option(names = "--url", paramLabel = "URL", description = "A running collector, e.g. http://127.0.0.1:8080.")
    URI url;

    @Option(names = "--exact", description = "Show the exact rollup of the period instead (maintainers; needs --url "
            + "with --admin-token, or --data). Never publish these numbers.")
    boolean exact;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:CANDOR_ADMIN_TOKEN}",
            description = "The collector's admin token, for --exact or the list of apps with --url (default: "
                    + "$CANDOR_ADMIN_TOKEN); given here, it also names the apps when APP is not one of them.")
    String adminToken;

    @Option(names = "--json", description = "Print the release as the stats API's JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Breakdowns.require(by);
        } catch (IllegalArgumentException e) {
            err.println("candor stats: " + e.getMessage());
            return 2;
        }
        if (url != null && data != null) {
            err.println("candor stats: give either --data or --url, not both");
            return 2;
        }
        if (exact && url != null && (adminToken == null || adminToken.isBlank())) {
            err.println("candor stats: --exact with --url reads the collector's exact rollups, which need its admin token: "
                    + "give --admin-token TOKEN or set CANDOR_ADMIN_TOKEN");
            return 2;
        }
        if (app == null) {
            for (String option : List.of("--period", "--by", "--exact")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    err.println("candor stats: " + option + " is about one app's numbers: give APP, or leave " + option
                            + " out to list the apps");
                    return 2;
                }
            }
            if (url != null && (adminToken == null || adminToken.isBlank())) {
                err.println("candor stats: listing a running collector's apps reads its admin endpoint GET /v1/apps, "
                        + "which needs its admin token: give --admin-token TOKEN or set CANDOR_ADMIN_TOKEN (or give APP)");
                return 2;
            }
        }
        if (period != null) {
            try {
                Periods.parse(period);
            } catch (IllegalArgumentException e) {
                err.println("candor stats: " + e.getMessage());
                return 2;
            }
        }
        StatsSources.Opened opened;
        try {
            opened = url != null ? new StatsSources.Opened(new HttpStatsSource(url, adminToken), null)
                    : StatsSources.forDataDir(data != null ? data : Path.of("candor-data"));
        } catch (RuntimeException e) {
            err.println("candor stats: " + e.getMessage());
            return 1;
        }
        try (opened) {
            return app == null ? listApps(opened.source(), out, err) : print(opened.source(), out, err);
        } catch (RuntimeException e) {
            err.println("candor stats: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Without APP: the collector's apps, one a line with its released periods (a public count, from the ledger);
     * exit 1 when it has none, 2 when this source cannot list them.
     */
    private int listApps(StatsSource source, PrintWriter out, PrintWriter err) {
        Optional<List<String>> apps = source.knownApps();
        if (apps.isEmpty()) {
            err.println("candor stats: " + (url != null ? "the collector at " + url + " has no list of its apps (GET "
                    + "/v1/apps answered 404: it is older than this candor)" : "this folder holds no collector database to "
                    + "list apps from") + "; give APP");
            return 2;
        }
        if (apps.get().isEmpty()) {
            err.println("candor stats: no app has a catalog in this collector yet");
            return 1;
        }
        if (json) {
            ObjectNode tree = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            var list = tree.putArray("apps");
            for (String a : apps.get()) {
                var released = list.addObject().put("app", a).putArray("released_periods");
                source.releasedPeriods(a).forEach(released::add);
            }
            out.println(tree.toPrettyString());
            out.flush();
            return 0;
        }
        int width = apps.get().stream().mapToInt(String::length).max().orElse(0);
        for (String a : apps.get()) {
            List<String> released = source.releasedPeriods(a);
            out.println(String.format("%-" + width + "s  ", a) + (released.isEmpty() ? "no release yet"
                    : released.size() + (released.size() == 1 ? " released period" : " released periods") + ", latest "
                    + released.get(released.size() - 1)));
        }
        out.flush();
        return 0;
    }

    private int print(StatsSource source, PrintWriter out, PrintWriter err) {
        // Through --url, the apps come from an admin endpoint: a public read sends the token only when it was given
        // on the command line (or --exact sends it anyway), never $CANDOR_ADMIN_TOKEN to a URL that may be anyone's.
        Optional<List<String>> apps = url == null || exact
                || spec.commandLine().getParseResult().hasMatchedOption("--admin-token")
                ? source.knownApps() : Optional.empty();
        if (apps.isPresent() && !apps.get().contains(app)) {
            err.println("candor stats: no app \"" + app + "\" in this collector; " + (apps.get().isEmpty()
                    ? "no app has a catalog in it yet" : "its apps: " + String.join(", ", apps.get())));
            return 2;
        }
        List<String> periods = exact ? source.unreleasedPeriods(app) : source.releasedPeriods(app);
        if (periods.isEmpty() && period == null) {
            err.println("candor stats: " + app + (exact
                    ? " has no rolled-up period that is not released yet. The collector rolls up new reports every"
                            + " --jobs-every (default 10m); `candor rollup` does it now."
                    : " has no release yet. Releases are made once a period has closed and its grace time has passed"
                            + " (or by `candor release --period P`)."));
            return 1;
        }
        String chosen = period != null ? period : periods.get(periods.size() - 1);
        Optional<StatsRelease> release = exact ? source.rollup(app, chosen, by) : source.release(app, chosen, by);
        if (release.isEmpty()) {
            err.println("candor stats: no " + (exact ? "exact rollup" : "release") + " of " + app + " for period " + chosen
                    + (by.equals(Breakdowns.OVERALL) ? "" : " by " + by)
                    + (periods.isEmpty() ? "" : "; " + (exact ? "unreleased" : "released") + " periods: "
                    + String.join(", ", periods))
                    + (exact ? " (reports that arrived since the last rollup are counted by `candor rollup`)" : ""));
            return 1;
        }
        StatsRelease r = release.get();
        if (json) {
            ObjectNode tree = StatsJson.tree(r);
            out.println(StatsJson.toJson(tree, true));
            out.flush();
            return 0;
        }
        List<LedgerEntry> ledger = exact ? List.of() : source.ledger(app);
        out.println(StatsText.header(r, ledger));
        if (period == null && !exact && by.equals(Breakdowns.OVERALL) && periods.size() > 1) {
            List<Estimate> installs = new ArrayList<>();
            List<String> shown = new ArrayList<>();
            for (String p : periods) {
                source.release(app, p, Breakdowns.OVERALL).flatMap(StatsRelease::overall).ifPresent(g -> {
                    shown.add(p);
                    installs.add(g.installs());
                });
            }
            out.println(StatsText.installsOverTime(shown, installs));
        }
        if (by.equals(Breakdowns.OVERALL)) {
            r.overall().ifPresent(g -> out.print(StatsText.overall(g)));
        } else {
            out.print(StatsText.breakdown(r));
        }
        out.print(StatsText.footnote());
        out.flush();
        return 0;
    }
}
