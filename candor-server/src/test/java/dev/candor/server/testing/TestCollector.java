package dev.candor.server.testing;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.ingest.ReportIngest;
import dev.candor.server.ingest.ReportValidator;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.SqliteReportStore;
import dev.candor.server.web.ClientAddress;
import dev.candor.server.web.CollectorMetrics;
import dev.candor.server.web.CollectorServer;
import dev.candor.server.web.ReleaseRoutes;
import dev.candor.server.web.dashboard.DashboardRoutes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The real collector, in this JVM, on a free loopback port and a temporary data folder, with the
 * acme catalog installed; plus a real HTTP client to talk to it.
 */
public final class TestCollector implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token";

    private final SqliteReportStore store;
    private final CollectorServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestCollector(SqliteReportStore store, CollectorServer server) {
        this.store = store;
        this.server = server;
    }

    public static TestCollector start(Path data) {
        return start(data, 0, ADMIN_TOKEN, Duration.ofSeconds(5));
    }

    public static TestCollector start(Path data, int rateLimitPerMinute, String adminToken, Duration storeTimeout) {
        return start(data, rateLimitPerMinute, adminToken, storeTimeout, ClientAddress.peerOnly());
    }

    /** A collector that counts requests against {@code clients} (trusted proxies) rather than the peer alone. */
    public static TestCollector start(Path data, int rateLimitPerMinute, String adminToken, Duration storeTimeout,
            ClientAddress clients) {
        return start(data, rateLimitPerMinute, adminToken, storeTimeout, clients, false);
    }

    /** A collector with its dashboard and sign-in page, as {@code candor serve} runs it. */
    public static TestCollector startWithDashboard(Path data) {
        return startWithDashboard(data, ClientAddress.peerOnly());
    }

    /** A collector with its dashboard, behind the proxies {@code clients} trusts. */
    public static TestCollector startWithDashboard(Path data, ClientAddress clients) {
        return start(data, 0, ADMIN_TOKEN, Duration.ofSeconds(5), clients, true);
    }

    /** A collector with its dashboard and the admin token {@code adminToken}. */
    public static TestCollector startWithDashboard(Path data, String adminToken) {
        return start(data, 0, adminToken, Duration.ofSeconds(5), ClientAddress.peerOnly(), true);
    }

    private static TestCollector start(Path data, int rateLimitPerMinute, String adminToken, Duration storeTimeout,
            ClientAddress clients, boolean dashboard) {
        CollectorMetrics metrics = new CollectorMetrics();
        SqliteReportStore store = SqliteReportStore.open(data, storeTimeout, metrics.commitObserver());
        try {
            CatalogRegistry catalogs = CatalogRegistry.load(store);
            catalogs.install(AcmeReports.catalogBytes(), AcmeReports.CATALOG.toString());
            ReportIngest ingest = new ReportIngest(new ReportValidator(catalogs, Clock.systemUTC()), store);
            CollectorServer server = CollectorServer.start(
                    new CollectorServer.Settings("127.0.0.1", 0, adminToken, rateLimitPerMinute, 5_000, clients),
                    ingest, store, catalogs, metrics,
                    new ReleaseRoutes(new RollupStore(store.dataSource()), new ReleaseLedger(store.dataSource())),
                    dashboard ? DashboardRoutes.forCollector(store.dataSource(), catalogs, ReleasePolicy.defaults(),
                            adminToken)::addTo : app -> { });
            return new TestCollector(store, server);
        } catch (Exception e) {
            store.close();
            throw new IllegalStateException("test collector did not start", e);
        }
    }

    public SqliteReportStore store() {
        return store;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public int port() {
        return server.port();
    }

    /** POST with the given headers (name, value, name, value, …). */
    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    public HttpResponse<String> postJson(String path, byte[] body) {
        return post(path, body, "Content-Type", "application/json");
    }

    public HttpResponse<String> put(String path, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
