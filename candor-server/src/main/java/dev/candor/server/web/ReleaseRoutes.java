package dev.candor.server.web;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.ingest.Problem;
import dev.candor.server.ingest.ProblemException;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.rollup.Breakdown;
import dev.candor.server.rollup.PeriodRollup;
import dev.candor.server.rollup.RollupStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The routes of rollups and releases: the public stats (frozen releases, served exactly as
 * stored, so reading them never spends privacy), the public ledger of every release, and the
 * maintainer's exact rollups behind the admin token.
 * <pre>
 * GET /v1/apps/{app}/stats?period=YYYY-MM-DD&amp;by=DIMENSION   (period: latest released; by: overall)
 * GET /v1/apps/{app}/ledger
 * GET /v1/apps/{app}/rollups?period=YYYY-MM-DD&amp;by=DIMENSION (admin; period: latest rolled up)
 * </pre>
 */
public final class ReleaseRoutes {

    private final RollupStore rollups;
    private final ReleaseLedger ledger;

    public ReleaseRoutes(RollupStore rollups, ReleaseLedger ledger) {
        this.rollups = rollups;
        this.ledger = ledger;
    }

    void register(Javalin app, CatalogRegistry catalogs, AdminAccess admin) {
        app.get("/v1/apps/{app}/stats", ctx -> stats(ctx, catalogs));
        app.get("/v1/apps/{app}/ledger", ctx -> {
            knownApp(ctx, catalogs);
            json(ctx, ledger.ledgerJson(ctx.pathParam("app")).toString());
        });
        app.get("/v1/apps/{app}/rollups", ctx -> {
            admin.check(ctx.header("Authorization"));
            rollup(ctx, catalogs);
        });
    }

    private void stats(Context ctx, CatalogRegistry catalogs) {
        String app = knownApp(ctx, catalogs);
        String by = by(ctx);
        String period = ctx.queryParam("period");
        if (period == null) {
            period = ledger.latestPeriod(app, by).orElseThrow(() -> new ProblemException(Problem.notFound(
                    "no release of " + app + " yet: a period is released once it is closed and its grace time is over")));
        }
        checkPeriod(period);
        String p = period;
        String body = ledger.release(app, period, by).orElseThrow(() -> new ProblemException(Problem.notFound(
                "no release of " + app + " for period " + p + " by " + by + " (yet): a period is released once it is "
                        + "closed and its grace time is over; the ledger at /v1/apps/" + app + "/ledger lists every release")));
        json(ctx, body);
    }

    private void rollup(Context ctx, CatalogRegistry catalogs) {
        String app = knownApp(ctx, catalogs);
        String by = by(ctx);
        String period = ctx.queryParam("period");
        if (period == null) {
            Map<String, Long> periods = rollups.periods(app);
            if (periods.isEmpty()) {
                throw new ProblemException(Problem.notFound("no rollup of " + app + " yet: no report was rolled up"));
            }
            period = List.copyOf(periods.keySet()).get(periods.size() - 1);
        }
        checkPeriod(period);
        String p = period;
        PeriodRollup rollup = rollups.load(app, period).orElseThrow(() -> new ProblemException(Problem.notFound(
                "no rollup of " + app + " for period " + p + ": no report of it was rolled up")));
        json(ctx, rollup.toJson(by).toString());
    }

    private static String knownApp(Context ctx, CatalogRegistry catalogs) {
        String app = ctx.pathParam("app");
        if (catalogs.currentSha256(app).isEmpty()) {
            throw new ProblemException(Problem.notFound("no app " + app + " here; known apps: " + String.join(", ", catalogs.apps())));
        }
        return app;
    }

    private static String by(Context ctx) {
        String by = ctx.queryParam("by");
        if (by == null) {
            return Breakdown.OVERALL.dimension();
        }
        try {
            return Breakdown.named(by).dimension();
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.malformed("query parameter by: " + e.getMessage()));
        }
    }

    private static void checkPeriod(String period) {
        if (!period.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new ProblemException(Problem.malformed("query parameter period: \"" + period
                    + "\" is not a period; write its first day as YYYY-MM-DD, for example 2026-11-24"));
        }
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json").result(body);
    }
}
