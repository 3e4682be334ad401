package dev.candor.server.web.dashboard;

import static dev.candor.server.web.dashboard.Html.esc;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.server.docs.HtmlWriter;
import dev.candor.server.docs.TelemetryDocs;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.stats.Breakdowns;
import dev.candor.server.stats.Estimate;
import dev.candor.server.stats.LedgerEntry;
import dev.candor.server.stats.Numbers;
import dev.candor.server.stats.StatsGroup;
import dev.candor.server.stats.StatsItem;
import dev.candor.server.stats.StatsRelease;
import dev.candor.server.stats.StatsSource;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the dashboard's pages as complete HTML documents. Public pages show only releases;
 * {@code maintainer = true} (the caller checked the admin token) adds the exact rollups of periods
 * not yet released, clearly marked as not public. Holds no state of its own: every page reads
 * {@link StatsSource} and {@link AppCatalogs} afresh, so it is safe on many request threads.
 */
public final class DashboardPages {
    /** Every dashboard page's policy: nothing runs and nothing is fetched from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final StatsSource stats;
    private final AppCatalogs catalogs;
    private final ReleasePolicy policy;

    /** @param policy how this collector makes releases, for the "what we collect" pages */
    public DashboardPages(StatsSource stats, AppCatalogs catalogs, ReleasePolicy policy) {
        this.stats = stats;
        this.catalogs = catalogs;
        this.policy = policy;
    }

    /** {@code /}: every app with its latest installs estimate. */
    public String index() {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Apps on this collector</h1>\n");
        List<String> apps = catalogs.apps();
        if (apps.isEmpty()) {
            b.append("<p>No app is configured yet. Start the collector with an app's catalog: ")
                    .append("<code>candor serve --catalog path/to/catalog.json</code>.</p>\n");
            return page("Candor", b.toString(), null);
        }
        b.append("<div class=\"table-scroll\"><table class=\"apps\"><thead><tr><th scope=\"col\">App</th>")
                .append("<th scope=\"col\">Latest release</th><th scope=\"col\" class=\"num\">Installs</th>")
                .append("<th scope=\"col\">What it collects</th></tr></thead><tbody>\n");
        for (String app : apps) {
            Catalog c = catalogs.catalog(app).orElseThrow();
            List<String> periods = stats.releasedPeriods(app);
            String latest = periods.isEmpty() ? null : periods.get(periods.size() - 1);
            Optional<StatsGroup> overall = latest == null ? Optional.empty()
                    : stats.release(app, latest, Breakdowns.OVERALL).flatMap(StatsRelease::overall);
            b.append("<tr><td><a href=\"/apps/").append(esc(app)).append("\">").append(esc(c.title()))
                    .append("</a> <code>").append(esc(app)).append("</code></td><td>")
                    .append(latest == null ? "none yet" : esc(latest)).append("</td><td class=\"num\">")
                    .append(overall.map(g -> numberCell(g.installs(), false)).orElse("—"))
                    .append("</td><td><a href=\"/apps/").append(esc(app)).append("/telemetry\">")
                    .append(c.events().size()).append(" events</a></td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
        return page("Candor", b.toString(), null);
    }

    /**
     * {@code /apps/{app}}, or empty when the collector does not know the app.
     *
     * @param period a released period to show, or {@code null} for the latest
     * @param by a breakdown whose feature shares to show per group, or {@code null}
     * @param baseUrl how clients reach this collector, for the first-report instructions
     */
    public Optional<String> app(String app, String period, String by, boolean maintainer, String baseUrl) {
        Optional<Catalog> found = catalogs.catalog(app);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Catalog c = found.get();
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(esc(c.title())).append(" <code class=\"app-name\">").append(esc(app)).append("</code></h1>\n");
        b.append("<p class=\"meta\">");
        if (c.owner() != null) {
            b.append("Collected for ").append(esc(c.owner())).append(" · ");
        }
        b.append("<a href=\"/apps/").append(esc(app)).append("/telemetry\">What is collected and how to turn it off</a>")
                .append(" · <a href=\"/v1/apps/").append(esc(app)).append("/ledger\">ledger (JSON)</a></p>\n");
        if (maintainer) {
            b.append("<p class=\"maintainer-note\">Signed in as a maintainer: sections marked <strong>EXACT</strong> "
                    + "are un-noised and visible only to you. Never publish them.</p>\n"
                    + "<form method=\"post\" action=\"" + DashboardRoutes.SIGN_OUT_PATH + "\">"
                    + "<button type=\"submit\">Sign out</button></form>\n");
        }

        List<String> periods = stats.releasedPeriods(app);
        if (periods.isEmpty()) {
            b.append(firstReport(c, baseUrl));
        } else {
            String shown = period != null && periods.contains(period) ? period : periods.get(periods.size() - 1);
            if (period != null && !periods.contains(period)) {
                b.append("<p class=\"notice\">There is no release for ").append(esc(period))
                        .append("; showing the latest, ").append(esc(shown)).append(".</p>\n");
            }
            releasedSections(b, c, periods, shown, by);
        }
        if (maintainer) {
            exactSections(b, c);
        }
        ledger(b, app);
        b.append(legend());
        return Optional.of(page(c.title() + " — Candor", b.toString(), app));
    }

    /** {@code /apps/{app}/telemetry}: the app's TELEMETRY.md as a page, or empty for an unknown app. */
    public Optional<String> telemetry(String app) {
        return catalogs.catalog(app).map(c -> page("Telemetry in " + c.title(),
                HtmlWriter.fragment(new TelemetryDocs(c, policy).build()), app));
    }

    /** A page for a missing app or page: says what exists instead, every app of this collector's. */
    public String notFound(String what) {
        StringBuilder b = new StringBuilder("<h1>Not found</h1>\n<p>").append(esc(what)).append("</p>\n");
        List<String> apps = catalogs.apps();
        if (!apps.isEmpty()) {
            b.append("<p>Apps on this collector:</p>\n<ul>\n");
            for (String app : apps) {
                b.append("<li><a href=\"/apps/").append(esc(app)).append("\">")
                        .append(esc(catalogs.catalog(app).map(Catalog::title).orElse(app))).append("</a> <code>")
                        .append(esc(app)).append("</code></li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("<p><a href=\"/\">All apps</a></p>\n");
        return page("Not found — Candor", b.toString(), null);
    }

    /** A page for a request this collector cannot answer as asked: says what was wrong, and links to the app's page. */
    public String badRequest(String what, String app) {
        boolean known = catalogs.catalog(app).isPresent();
        return page("Bad request — Candor", "<h1>Bad request</h1>\n<p>" + esc(what) + "</p>\n<p>"
                + (known ? "<a href=\"/apps/" + esc(app) + "\">" + esc(app) + " without it</a> · " : "")
                + "<a href=\"/\">All apps</a></p>\n", known ? app : null);
    }

    // --- released numbers -----------------------------------------------------------------------

    private void releasedSections(StringBuilder b, Catalog c, List<String> periods, String shown, String by) {
        String app = c.app();
        String unit = c.period() == Catalog.Period.WEEK ? "week" : "day";
        // period picker: plain links, newest first
        b.append("<nav class=\"periods\" aria-label=\"Released periods\"><span>Release:</span> ");
        for (int i = periods.size() - 1; i >= 0 && i >= periods.size() - 31; i--) {
            String p = periods.get(i);
            b.append(p.equals(shown) ? "<strong aria-current=\"page\">" + esc(p) + "</strong> "
                    : "<a href=\"/apps/" + esc(app) + "?period=" + esc(p) + "\">" + esc(p) + "</a> ");
        }
        b.append("</nav>\n");

        // installs over time
        List<Charts.Point> points = new ArrayList<>();
        for (String p : periods) {
            stats.release(app, p, Breakdowns.OVERALL).flatMap(StatsRelease::overall)
                    .ifPresent(g -> points.add(new Charts.Point(p, g.installs())));
        }
        b.append("<section id=\"installs\"><h2>Installs per ").append(unit).append("</h2>\n");
        b.append("<p class=\"hint\">Installs that sent a report, with the 95% interval as a band.</p>\n");
        b.append("<figure class=\"chart\">").append(Charts.lineWithBand(points, "Installs per " + unit + " of " + app))
                .append("</figure>\n");
        b.append("<details><summary>The numbers</summary><div class=\"table-scroll\"><table class=\"numbers\">")
                .append("<thead><tr><th scope=\"col\">").append(unit).append("</th><th scope=\"col\" class=\"num\">")
                .append("installs</th><th scope=\"col\">95% interval</th></tr></thead><tbody>\n");
        for (int i = points.size() - 1; i >= 0; i--) {
            Charts.Point p = points.get(i);
            b.append("<tr data-period=\"").append(esc(p.label())).append("\"><td>").append(esc(p.label()))
                    .append("</td><td class=\"num\">").append(numberCell(p.estimate(), false)).append("</td><td>")
                    .append(esc(Numbers.countInterval(p.estimate()))).append("</td></tr>\n");
        }
        b.append("</tbody></table></div></details></section>\n");

        Optional<StatsRelease> overall = stats.release(app, shown, Breakdowns.OVERALL);
        if (overall.isEmpty() || overall.get().overall().isEmpty()) {
            return;
        }
        StatsRelease release = overall.get();
        StatsGroup g = release.overall().get();
        b.append("<section id=\"summary\"><h2>").append(esc(shown)).append("</h2>\n<p class=\"big\">")
                .append(numberCell(g.installs(), false)).append(" installs");
        if (g.installs().hasInterval()) {
            b.append(" <span class=\"ci\">(95% interval ").append(esc(Numbers.countInterval(g.installs()))).append(")</span>");
        }
        b.append("</p>\n<p class=\"hint\">Private release: ε = ").append(Numbers.epsilon(release.epsilon()))
                .append(" per breakdown, m = ").append(release.m()).append(".</p></section>\n");

        features(b, c, g);
        errors(b, c, g);
        breakdowns(b, c, shown, by);
    }

    private void features(StringBuilder b, Catalog c, StatsGroup g) {
        b.append("<section id=\"features\"><h2>Share of installs using each feature</h2>\n");
        b.append("<p class=\"hint\">Bars are the estimate, whiskers the 95% interval.</p>\n");
        for (EventSpec e : c.events()) {
            if (e.noised() || e.errorTypeField() >= 0) {
                continue;
            }
            List<StatsItem> items = g.items().stream()
                    .filter(i -> i.event().equals(e.name()) && i.share() != null).toList();
            if (items.isEmpty()) {
                continue;
            }
            b.append("<h3><code>").append(esc(e.name())).append("</code> <span class=\"desc\">")
                    .append(esc(e.description())).append("</span></h3>\n");
            b.append(barTable("item", items.stream().map(i -> new Row(rowLabel(i), i.share(), i.label())).toList(), 1.0,
                    true, "share"));
        }
        b.append("</section>\n");
    }

    private void errors(StringBuilder b, Catalog c, StatsGroup g) {
        List<StatsItem> items = g.items().stream().filter(i -> isErrorItem(c, i)).toList();
        if (items.isEmpty()) {
            return;
        }
        b.append("<section id=\"errors\"><h2>Errors by type</h2>\n");
        for (StatsItem i : g.items()) {
            EventSpec e = c.event(i.event());
            if (i.isEventLevel() && e != null && e.errorTypeField() >= 0 && i.share() != null) {
                b.append("<p>Installs with any <code>").append(esc(i.event())).append("</code>: ")
                        .append(numberCell(i.share(), true));
                if (i.share().hasInterval()) {
                    b.append(" <span class=\"ci\">(").append(esc(Numbers.percentInterval(i.share()))).append(")</span>");
                }
                b.append("</p>\n");
            }
        }
        b.append("<p class=\"hint\">Installs that had each error at least once. Types outside <code>java.*</code>, "
                + "<code>javax.*</code> and the app's own packages are counted as <code>other</code>.</p>\n");
        double max = 0;
        for (StatsItem i : items) {
            if (i.installsUsing() != null && !i.installsUsing().suppressed()) {
                max = Math.max(max, i.installsUsing().high() != null ? i.installsUsing().high() : i.installsUsing().value());
            }
        }
        b.append(barTable("error type", items.stream().filter(i -> i.installsUsing() != null)
                .map(i -> new Row(i.value(), i.installsUsing(), i.label())).toList(), max, false, "installs"));
        b.append("</section>\n");
    }

    /** An item that is one value of an event's {@code error_type} field. */
    private static boolean isErrorItem(Catalog c, StatsItem i) {
        EventSpec e = c.event(i.event());
        return e != null && i.field() != null && e.errorTypeField() >= 0
                && e.fields().get(e.errorTypeField()).name().equals(i.field());
    }

    private void totals(StringBuilder b, Catalog c, StatsGroup g) {
        List<StatsItem> items = g.items().stream().filter(i -> i.total() != null && i.installsUsing() == null).toList();
        if (items.isEmpty()) {
            return;
        }
        b.append("<div class=\"totals\"><h4>Totals of events noised on the device</h4>\n");
        b.append("<p class=\"hint\">These events get noise on each install before they are sent, so only their "
                + "totals mean something; they are not part of public releases.</p>\n");
        double max = 0;
        for (StatsItem i : items) {
            if (!i.total().suppressed()) {
                max = Math.max(max, i.total().hasInterval() ? i.total().high() : i.total().value());
            }
        }
        b.append(barTable("event", items.stream().map(i -> new Row(rowLabel(i), i.total(), i.label())).toList(), max, false,
                "total"));
        b.append("</div>\n");
    }

    private void breakdowns(StringBuilder b, Catalog c, String period, String by) {
        String app = c.app();
        b.append("<section id=\"breakdowns\"><h2>Installs by dimension</h2>\n");
        for (String dim : Breakdowns.DIMENSIONS) {
            Optional<StatsRelease> r = stats.release(app, period, dim);
            if (r.isEmpty()) {
                continue;
            }
            double max = 0;
            for (StatsGroup g : r.get().groups()) {
                if (!g.installs().suppressed()) {
                    max = Math.max(max, g.installs().hasInterval() ? g.installs().high() : g.installs().value());
                }
            }
            b.append("<h3 id=\"by-").append(esc(dim)).append("\">").append(esc(dim)).append(" <a class=\"small\" href=\"/apps/")
                    .append(esc(app)).append("?period=").append(esc(period)).append("&amp;by=").append(esc(dim))
                    .append("#by-").append(esc(dim)).append("\">features by ").append(esc(dim)).append("</a></h3>\n");
            if (r.get().groups().isEmpty()) {
                b.append("<p class=\"hint\">No value of <code>").append(esc(dim)).append("</code> was reported by enough "
                        + "installs to be published: values this dimension does not fix in advance appear only above a "
                        + "threshold that no single install can reach.</p>\n");
            } else {
                b.append(barTable(dim, r.get().groups().stream().map(g -> new Row(g.keyValue(), g.installs(), dim + "=" + g.keyValue()))
                        .toList(), max, false, "installs"));
            }
            if (dim.equals(by)) {
                b.append(shareMatrix(r.get()));
            }
        }
        b.append("</section>\n");
    }

    private String shareMatrix(StatsRelease r) {
        Map<String, Map<String, Estimate>> rows = new LinkedHashMap<>();
        for (StatsGroup g : r.groups()) {
            for (StatsItem i : g.items()) {
                if (i.share() != null) {
                    rows.computeIfAbsent(i.label(), k -> new LinkedHashMap<>()).put(g.keyValue(), i.share());
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"hint\">Each share with its 95% interval.</p>\n");
        b.append("<div class=\"table-scroll\"><table class=\"matrix\" data-by=\"").append(esc(r.by()))
                .append("\"><caption>Share of installs using each item, by ").append(esc(r.by()))
                .append("</caption><thead><tr><th scope=\"col\">item</th>");
        for (StatsGroup g : r.groups()) {
            b.append("<th scope=\"col\" class=\"num\">").append(esc(g.keyValue())).append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (Map.Entry<String, Map<String, Estimate>> row : rows.entrySet()) {
            b.append("<tr><th scope=\"row\">").append(esc(row.getKey())).append("</th>");
            for (StatsGroup g : r.groups()) {
                Estimate e = row.getValue().get(g.keyValue());
                b.append("<td class=\"num\">").append(e == null ? "" : numberCell(e, true));
                if (e != null && e.hasInterval()) {
                    b.append("<span class=\"ci\">").append(esc(Numbers.percentInterval(e))).append("</span>");
                }
                b.append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n");
        return b.toString();
    }

    // --- maintainer view ------------------------------------------------------------------------

    private void exactSections(StringBuilder b, Catalog c) {
        List<String> open = stats.unreleasedPeriods(c.app());
        b.append("<section id=\"exact\" class=\"exact\"><h2>EXACT numbers of unreleased periods "
                + "<span class=\"badge\">maintainers only</span></h2>\n");
        if (open.isEmpty()) {
            b.append("<p>No stored reports are waiting for a release.</p></section>\n");
            return;
        }
        b.append("<p class=\"hint\">Un-noised rollups of periods that are still open or in their grace time. "
                + "They will be published only through a release.</p>\n");
        for (int k = open.size() - 1; k >= 0; k--) {
            String p = open.get(k);
            Optional<StatsGroup> g = stats.rollup(c.app(), p, Breakdowns.OVERALL).flatMap(StatsRelease::overall);
            if (g.isEmpty()) {
                continue;
            }
            b.append("<h3>").append(esc(p)).append(": ").append(numberCell(g.get().installs(), false))
                    .append(" installs (exact)</h3>\n");
            List<Row> rows = new ArrayList<>();
            for (StatsItem i : g.get().items()) {
                if (i.share() != null) {
                    rows.add(new Row(i.label(), i.share(), i.label()));
                }
            }
            b.append(barTable("item", rows, 1.0, true, "share"));
            totals(b, c, g.get());
        }
        b.append("</section>\n");
    }

    // --- ledger, legend, empty state ------------------------------------------------------------

    private void ledger(StringBuilder b, String app) {
        List<LedgerEntry> ledger = stats.ledger(app);
        b.append("<section id=\"ledger\"><h2>Privacy ledger</h2>\n");
        if (ledger.isEmpty()) {
            b.append("<p>Nothing released yet, so no privacy budget has been spent.</p></section>\n");
            return;
        }
        Map<String, List<LedgerEntry>> byPeriod = new LinkedHashMap<>();
        for (LedgerEntry e : ledger) {
            byPeriod.computeIfAbsent(e.period(), k -> new ArrayList<>()).add(e);
        }
        LedgerEntry last = ledger.get(ledger.size() - 1);
        b.append("<p>").append(ledger.size()).append(" releases so far, ε = ")
                .append(Numbers.epsilon(last.cumulativeEpsilon())).append(" in total. Every release is listed.</p>\n");
        b.append("<div class=\"table-scroll\"><table class=\"ledger\"><thead><tr><th scope=\"col\">period</th>")
                .append("<th scope=\"col\">breakdowns</th><th scope=\"col\" class=\"num\">ε spent</th>")
                .append("<th scope=\"col\" class=\"num\">cumulative ε</th></tr></thead><tbody>\n");
        List<String> periods = new ArrayList<>(byPeriod.keySet());
        for (int i = periods.size() - 1; i >= 0; i--) {
            List<LedgerEntry> entries = byPeriod.get(periods.get(i));
            double spent = 0;
            List<String> names = new ArrayList<>();
            boolean sameEpsilon = true;
            for (LedgerEntry e : entries) {
                spent += e.epsilon();
                names.add(e.breakdown() + " (" + Numbers.epsilon(e.epsilon()) + ")");
                sameEpsilon &= e.epsilon() == entries.get(0).epsilon();
            }
            boolean standard = sameEpsilon && entries.stream().map(LedgerEntry::breakdown).toList().equals(Breakdowns.ALL);
            String described = standard ? "overall and each of the " + Breakdowns.DIMENSIONS.size()
                    + " dimensions, ε = " + Numbers.epsilon(entries.get(0).epsilon()) + " each"
                    : String.join(", ", names);
            b.append("<tr data-period=\"").append(esc(periods.get(i))).append("\"><td class=\"period\">")
                    .append(esc(periods.get(i))).append("</td><td class=\"breakdowns\">").append(esc(described))
                    .append("</td><td class=\"num\">").append(Numbers.epsilon(spent)).append("</td><td class=\"num\">")
                    .append(Numbers.epsilon(entries.get(entries.size() - 1).cumulativeEpsilon())).append("</td></tr>\n");
        }
        b.append("</tbody></table></div></section>\n");
    }

    private static String legend() {
        return "<section id=\"legend\" class=\"legend\"><h2>How to read this</h2><ul>"
                + "<li>Every public number is a private release: computed once per period with random noise, so that "
                + "no single install can be seen in it, then frozen.</li>"
                + "<li>The range after a number, the band and the whiskers are its 95% interval.</li>"
                + "<li><span class=\"suppressed-tag\">suppressed</span> means the number was withheld: too few "
                + "installs, or too uncertain to publish safely. No estimate is given for it.</li>"
                + "<li>ε measures how much a release can reveal about one install; the ledger adds up every release.</li>"
                + "</ul></section>\n";
    }

    private String firstReport(Catalog c, String baseUrl) {
        String app = c.app();
        String endpoint = baseUrl + "/v1/reports";
        String prefix = dev.candor.internal.consent.TelemetryPaths.variablePrefix(app);
        return "<section id=\"first-report\" class=\"empty\"><h2>No numbers published yet</h2>\n"
                + "<p>This collector knows <code>" + esc(app) + "</code> but has not released any numbers for it. "
                + "Numbers appear here once reports arrive and their " + (c.period() == Catalog.Period.WEEK ? "week" : "day")
                + " has closed (plus a grace time of " + policy.grace().toDays() + " days for late reports).</p>\n"
                + "<h3>Send the first report</h3>\n<ol>\n"
                + "<li>Add the SDK to the app:<pre><code>" + esc("""
                <dependency>
                  <groupId>dev.candor</groupId>
                  <artifactId>candor-sdk</artifactId>
                  <version>0.1.0</version>
                </dependency>""") + "</code></pre></li>\n"
                + "<li>Ship the catalog as <code>src/main/resources/" + TelemetryDocs.CATALOG_RESOURCE + "</code>, with "
                + "<code>\"endpoint\": \"" + esc(endpoint) + "\"</code>.</li>\n"
                + "<li>Start telemetry once in <code>main</code>:<pre><code>" + esc(SdkSnippet.start(c)) + "</code></pre></li>\n"
                + "<li>Or point an existing install here and send at once:<pre><code>" + esc(prefix + "_TELEMETRY_ENDPOINT="
                + endpoint + " " + app + " telemetry send") + "</code></pre></li>\n"
                + "</ol>\n<p>Reports go to <code>" + esc(endpoint) + "</code>.</p></section>\n";
    }

    // --- small parts ----------------------------------------------------------------------------

    private record Row(String label, Estimate estimate, String key) {
    }

    /** @param rowsAre what each row is about, the first column's header (said by screen readers, not shown) */
    private static String barTable(String rowsAre, List<Row> rows, double max, boolean share, String what) {
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"table-scroll\"><table class=\"bars\"><thead><tr><th scope=\"col\"><span class=\"sr\">")
                .append(esc(rowsAre)).append("</span></th>")
                .append("<th scope=\"col\" class=\"chart-col\"><span class=\"sr\">chart</span></th>")
                .append("<th scope=\"col\" class=\"num\">").append(esc(what)).append("</th></tr></thead><tbody>\n");
        for (Row r : rows) {
            Estimate e = r.estimate();
            b.append("<tr class=\"bar-row").append(e.suppressed() ? " suppressed" : "").append("\" data-key=\"")
                    .append(esc(r.key())).append("\"><th scope=\"row\">").append(esc(r.label())).append("</th><td class=\"chart-col\">")
                    .append(Charts.bar(e, max, share)).append("</td><td class=\"num\">").append(numberCell(e, share));
            String ci = share ? Numbers.percentInterval(e) : Numbers.countInterval(e);
            if (!ci.isEmpty()) {
                b.append("<span class=\"ci\">").append(esc(ci)).append("</span>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
        return b.toString();
    }

    private static String numberCell(Estimate e, boolean share) {
        if (e.suppressed()) {
            return "<span class=\"suppressed-tag\" title=\"withheld: too few installs or too uncertain to publish "
                    + "safely\">suppressed</span>";
        }
        return "<span class=\"value\">" + esc(share ? Numbers.percent(e) : Numbers.count(e)) + "</span>";
    }

    private static String rowLabel(StatsItem i) {
        return i.isEventLevel() ? "any " + i.event() : i.field() + " = " + i.value();
    }

    /** Sends {@code page}, a whole document of this class's, with the headers every dashboard page has. */
    static void send(Context ctx, String page) {
        ctx.contentType("text/html; charset=utf-8");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(page);
    }

    static String page(String title, String body, String app) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + esc(title)
                + "</title>\n<style>\n" + DashboardStyle.CSS + "</style>\n</head>\n<body>\n<header class=\"top\"><a href=\"/\">"
                + "Candor</a>" + (app == null ? "" : " <span>/</span> <a href=\"/apps/" + esc(app) + "\">" + esc(app) + "</a>")
                + "</header>\n<main>\n" + body + "</main>\n<footer>Served by a Candor collector. No cookies but "
                + "a maintainer's sign-in, no scripts, nothing loaded from elsewhere.</footer>\n</body>\n</html>\n";
    }
}
