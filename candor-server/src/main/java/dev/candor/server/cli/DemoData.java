package dev.candor.server.cli;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.simulate.PopulationSimulator;
import dev.candor.server.store.ReportStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * {@code candor serve --demo}: fills a fresh collector with a simulated acme population and
 * releases every simulated day at once (without waiting out the grace time), so that the first
 * look at the dashboard shows living numbers. It never touches a collector that already holds
 * acme reports.
 */
final class DemoData {

    /** Installs and days played by default: enough for the main numbers to be published, quick to simulate. */
    static final int INSTALLS = 4000;
    static final int DAYS = 14;
    static final long SEED = 20261124L;

    private DemoData() {
    }

    /**
     * The acme catalog the demo plays, checked before the collector starts.
     *
     * @throws IllegalStateException naming the file to give when it is not installed
     */
    static Catalog requireAcme(CatalogRegistry catalogs) {
        String app = PopulationSimulator.APP;
        return catalogs.currentSha256(app).flatMap(sha -> catalogs.find(app, sha)).orElseThrow(() ->
                new IllegalStateException("--demo plays the acme example app, so the collector needs its catalog: add "
                        + "--catalog examples/acme/src/main/resources/META-INF/candor/catalog.json"));
    }

    /**
     * @param self where this collector answers (the simulator posts its reports there)
     * @return a line saying what was done
     * @throws IllegalStateException naming what to do when the acme catalog is not installed
     */
    static String fill(URI self, ReportStore store, CatalogRegistry catalogs, RollupJob rollups, ReleaseJob releases,
                       int installs, int days)
            throws IOException {
        String app = PopulationSimulator.APP;
        Catalog acme = requireAcme(catalogs);
        if (!store.periods(app).isEmpty()) {
            return "demo: " + app + " already has reports here; nothing simulated";
        }
        PopulationSimulator.Outcome outcome = PopulationSimulator.run(
                new PopulationSimulator.Settings(installs, days, self, SEED, null, 4), Clock.systemUTC(),
                (period, done, total, sent) -> { });
        rollups.rollUp();
        List<String> periods = List.copyOf(outcome.installsPerPeriod().keySet());
        for (String period : periods) {
            releases.release(app, acme, period);
        }
        return String.format(java.util.Locale.ROOT, "demo: simulated %,d acme installs over %d days (%,d reports) and "
                + "released %d days; see %sapps/%s", installs, days, outcome.reports(), periods.size(), self, app);
    }
}
