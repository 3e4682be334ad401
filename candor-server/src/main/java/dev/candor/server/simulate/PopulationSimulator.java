package dev.candor.server.simulate;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.record.CellTotals;
import dev.candor.internal.record.Report;
import dev.candor.internal.record.ReportBuilder;
import dev.candor.server.FailureReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Plays a population of acme installs over the last closed days: each active install's day is
 * recorded into cell totals and turned into a report by the SDK's own {@link ReportBuilder} (its
 * clamping, error-type folding, local noise and wire writer), and the reports are posted to a
 * collector in batches. What the installs really did is kept as the {@link GroundTruth}.
 *
 * <p>The acme catalog is read from the collector itself ({@code GET /v1/apps/acme/catalog}), so
 * the reports name the catalog version it validates against. Everything random comes from one
 * seeded {@link Random}: the same seed, days and target replay the same reports.
 */
public final class PopulationSimulator {

    /** The app simulated. */
    public static final String APP = "acme";
    /** Reports per POST (the collector accepts up to 100). */
    static final int BATCH = 100;

    /**
     * @param installs how many installs exist (each is active on a given day with its own probability)
     * @param days     how many closed days, ending yesterday
     * @param target   the collector: its base URL or its {@code /v1/reports} URL
     * @param truth    where to write the ground truth, or null
     */
    public record Settings(int installs, int days, URI target, long seed, Path truth, int parallel) {
        public Settings {
            if (installs < 1) {
                throw new IllegalArgumentException("--installs must be at least 1, was " + installs);
            }
            if (days < 1 || days > 21) {
                throw new IllegalArgumentException("--days must be 1 to 21 (a collector accepts reports of the last 21 days at most,"
                        + " and of fewer when the app's catalog keeps raw reports for less), was " + days);
            }
            String scheme = target.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || target.getHost() == null) {
                throw new IllegalArgumentException("--target must be the collector's http(s) URL, such as http://localhost:8080, not \""
                        + target + "\"");
            }
            if (parallel < 1) {
                throw new IllegalArgumentException("parallel must be at least 1, was " + parallel);
            }
        }
    }

    /** What a simulation sent. */
    public record Outcome(Map<String, Long> installsPerPeriod, long reports, long accepted, long duplicates) {
    }

    /** Told how far the simulation got. */
    public interface Progress {
        void update(String period, int installsDone, int installsTotal, long reportsSent);
    }

    private PopulationSimulator() {
    }

    /** Runs the simulation against the collector of {@code settings} with "now" from {@code clock}. */
    public static Outcome run(Settings settings, Clock clock, Progress progress) throws IOException {
        URI base = settings.target().resolve("/");
        URI reportsUri = base.resolve("/v1/reports");
        Catalog catalog = fetchCatalog(base.resolve("/v1/apps/" + APP + "/catalog"));
        List<String> periods = closedPeriods(catalog, clock.instant(), settings.days());

        Random random = new Random(settings.seed());
        List<AcmePopulation.Install> installs = new ArrayList<>(settings.installs());
        for (int i = 0; i < settings.installs(); i++) {
            installs.add(AcmePopulation.install(random));
        }
        GroundTruth truth = new GroundTruth(catalog);
        long reports = 0;
        try (ReportPoster poster = new ReportPoster(reportsUri, settings.parallel())) {
            List<byte[]> batch = new ArrayList<>(BATCH);
            for (String period : periods) {
                for (int i = 0; i < installs.size(); i++) {
                    AcmePopulation.Install install = installs.get(i);
                    if (AcmePopulation.active(install, random)) {
                        CellTotals totals = AcmePopulation.day(install, random);
                        Report report = ReportBuilder.build(catalog, period, totals, install.context(), install.appVersion(), random);
                        truth.add(period, totals);
                        batch.add(report.json());
                        reports++;
                        if (batch.size() == BATCH) {
                            poster.post(batch);
                            batch = new ArrayList<>(BATCH);
                        }
                    }
                    if ((i & 255) == 255 || i == installs.size() - 1) {
                        progress.update(period, i + 1, installs.size(), poster.sent());
                    }
                }
            }
            if (!batch.isEmpty()) {
                poster.post(batch);
            }
            poster.finish();
            progress.update(periods.get(periods.size() - 1), installs.size(), installs.size(), poster.sent());
            if (settings.truth() != null) {
                truth.write(settings.truth());
            }
            return new Outcome(truth.installs(), reports, poster.accepted(), poster.duplicates());
        }
    }

    /** The ids of the periods holding each of the last {@code days} days, oldest first, only those already closed. */
    static List<String> closedPeriods(Catalog catalog, Instant now, int days) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        Set<String> periods = new LinkedHashSet<>();
        for (int d = days; d >= 1; d--) {
            String id = catalog.period().idOf(today.minusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant());
            if (!catalog.period().end(id).isAfter(now)) {
                periods.add(id);
            }
        }
        if (periods.isEmpty()) {
            throw new SimulationException("no " + catalog.period().jsonName() + " of the last " + days
                    + " days is closed yet; simulate more days");
        }
        return List.copyOf(periods);
    }

    private static Catalog fetchCatalog(URI uri) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SimulationException("cannot reach the collector at " + uri.resolve("/") + ": " + FailureReason.of(e)
                    + " (start it with: candor serve --catalog examples/acme/src/main/resources/META-INF/candor/catalog.json)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while reading the catalog from " + uri);
        }
        if (response.statusCode() != 200) {
            throw new SimulationException("the collector has no catalog for " + APP + " (GET " + uri + " answered "
                    + response.statusCode() + "); start it with --catalog pointing at acme's catalog.json");
        }
        try {
            return CatalogParser.parse(response.body(), uri.toString());
        } catch (CatalogException e) {
            throw new SimulationException("the collector's catalog for " + APP + " is not usable: " + e.getMessage());
        }
    }
}
