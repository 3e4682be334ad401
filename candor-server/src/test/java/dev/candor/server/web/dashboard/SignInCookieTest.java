package dev.candor.server.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.Reports;
import dev.candor.server.store.PostgresReportStore;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.SqliteReportStore;
import dev.candor.server.testing.TestPostgres;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's sign-in cookie on real collector databases: it gives nothing to check guesses at
 * the admin token against; it is accepted after a restart and by every node on the same database,
 * and by no collector on another one; it ends when the token changes, when it expires, and a
 * version 1 cookie (keyed by the token itself) is no sign-in.
 */
class SignInCookieTest {

    /** A human-chosen token, as in the README examples, and a word list that contains it. */
    static final String TOKEN = "acme-admin-2026";
    static final List<String> GUESSES = List.of("admin", "secret", "candor", "acme-admin-2025", TOKEN, "changeme");
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir Path data;
    @TempDir Path otherData;

    /** The reviewer's offline attack (review-srv 6da31d6) turned around: no guess reproduces the cookie's MAC. */
    @Test
    void aLeakedCookieIsNoOracleForTheAdminToken() throws Exception {
        String cookie;
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            cookie = routes(store, TOKEN).signInValue(Instant.now().getEpochSecond() + 3600);
        }
        String[] parts = cookie.split("\\.");
        assertThat(parts).hasSize(3);
        for (String version : List.of("v1", "v2", parts[0])) {
            String message = "candor dashboard sign-in|" + version + "|" + parts[1];
            for (String guess : GUESSES) {
                assertThat(hmac(guess.getBytes(StandardCharsets.UTF_8), message))
                        .as("a MAC keyed by the guess " + guess + " over " + message).isNotEqualTo(parts[2]);
            }
        }
        assertThat(cookie).doesNotContain(TOKEN);
    }

    /** Signed in over HTTP, then the collector restarts on the same data folder: still signed in. */
    @Test
    void aCookieOutlivesARestartOnTheSameDataFolder() throws Exception {
        String cookie;
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Reports.saveAcmeCatalog(store);
            try (Served node = Served.on(store, TOKEN)) {
                cookie = node.signIn(TOKEN);
                assertThat(node.isMaintainer(cookie)).isTrue();
            }
        }
        assertThat(cookie).startsWith("v2.");
        try (SqliteReportStore store = SqliteReportStore.open(data);
                Served restarted = Served.on(store, TOKEN)) {
            assertThat(restarted.isMaintainer(cookie)).as("the restarted collector accepts the sign-in").isTrue();
            assertThat(restarted.isMaintainer(null)).isFalse();
            try (Connection c = store.dataSource().getConnection();
                    ResultSet rows = c.createStatement().executeQuery("SELECT name, secret FROM server_secrets")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(DashboardRoutes.SIGN_IN_SECRET);
                byte[] secret = rows.getBytes(2);
                assertThat(secret).hasSize(32);
                assertThat(cookie).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
                assertThat(rows.next()).as("one secret, made once").isFalse();
            }
        }
    }

    /** The same token on another collector's database is not the same sign-in. */
    @Test
    void aCookieFromAnotherDatabaseIsRefused() {
        try (SqliteReportStore one = SqliteReportStore.open(data);
                SqliteReportStore other = SqliteReportStore.open(otherData)) {
            long expires = Instant.now().getEpochSecond() + 3600;
            String cookie = routes(one, TOKEN).signInValue(expires);
            assertThat(routes(one, TOKEN).validSignIn(cookie, Instant.now().getEpochSecond())).isTrue();
            assertThat(routes(other, TOKEN).validSignIn(cookie, Instant.now().getEpochSecond())).isFalse();
        }
    }

    /** A new admin token ends every sign-in made with the old one, on the same database. */
    @Test
    void changingTheAdminTokenEndsEverySignIn() throws Exception {
        String cookie;
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Reports.saveAcmeCatalog(store);
            try (Served node = Served.on(store, TOKEN)) {
                cookie = node.signIn(TOKEN);
                assertThat(node.isMaintainer(cookie)).isTrue();
            }
        }
        try (SqliteReportStore store = SqliteReportStore.open(data);
                Served restarted = Served.on(store, "a-new-token-after-a-leak")) {
            assertThat(restarted.isMaintainer(cookie)).as("the old token's sign-in").isFalse();
            assertThat(restarted.isMaintainer(restarted.signIn("a-new-token-after-a-leak"))).isTrue();
        }
    }

    /** Expiry is still enforced, a tampered expiry breaks the MAC, and a version 1 cookie is refused. */
    @Test
    void expiredTamperedAndVersionOneCookiesAreRefused() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            DashboardRoutes routes = routes(store, TOKEN);
            long now = Instant.now().getEpochSecond();
            assertThat(routes.validSignIn(routes.signInValue(now + 60), now)).isTrue();
            assertThat(routes.validSignIn(routes.signInValue(now), now)).as("expires now").isFalse();
            assertThat(routes.validSignIn(routes.signInValue(now - 1), now)).as("expired").isFalse();
            String[] parts = routes.signInValue(now + 60).split("\\.");
            assertThat(routes.validSignIn(parts[0] + "." + (now + 7200) + "." + parts[2], now)).as("tampered").isFalse();
            // exactly what the collector issued before this version: keyed by the token itself
            String v1 = "v1." + (now + 3600) + "." + hmac(TOKEN.getBytes(StandardCharsets.UTF_8),
                    "candor dashboard sign-in|v1|" + (now + 3600));
            assertThat(routes.validSignIn(v1, now)).as("a version 1 cookie").isFalse();
            assertThat(routes.validSignIn("v1." + parts[1] + "." + parts[2], now)).isFalse();
            assertThat(routes.validSignIn(TOKEN, now)).isFalse();
        }
    }

    /** Two nodes starting at once on one PostgreSQL database make one secret and accept each other's sign-ins. */
    @Test
    void nodesOnOnePostgresDatabaseAcceptEachOthersSignIns() throws Exception {
        String url = TestPostgres.newDatabase();
        ExecutorService starting = Executors.newFixedThreadPool(2);
        Callable<PostgresReportStore> open = () -> PostgresReportStore.open(url, null, null);
        Future<PostgresReportStore> first = starting.submit(open);
        Future<PostgresReportStore> second = starting.submit(open);
        try (PostgresReportStore one = first.get(); PostgresReportStore two = second.get()) {
            Reports.saveAcmeCatalog(one);
            Future<DashboardRoutes> routesOne = starting.submit(() -> routes(one, TOKEN));
            Future<DashboardRoutes> routesTwo = starting.submit(() -> routes(two, TOKEN));
            long now = Instant.now().getEpochSecond();
            assertThat(routesTwo.get().validSignIn(routesOne.get().signInValue(now + 60), now)).isTrue();
            assertThat(routesOne.get().validSignIn(routesTwo.get().signInValue(now + 60), now)).isTrue();
            try (Served nodeOne = Served.on(one, TOKEN); Served nodeTwo = Served.on(two, TOKEN)) {
                String cookie = nodeOne.signIn(TOKEN);
                assertThat(nodeTwo.isMaintainer(cookie)).as("signed in on node 1, recognised on node 2").isTrue();
            }
        } finally {
            starting.shutdown();
        }
    }

    static DashboardRoutes routes(ReportStore store, String token) {
        return DashboardRoutes.forCollector(store.dataSource(), CatalogRegistry.load(store), ReleasePolicy.defaults(), token);
    }

    static String hmac(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** The dashboard of a collector on {@code store}, served over real HTTP. */
    record Served(Javalin server, String base) implements AutoCloseable {

        static Served on(ReportStore store, String token) {
            Javalin server = Javalin.create();
            routes(store, token).addTo(server);
            server.start("127.0.0.1", 0);
            return new Served(server, "http://127.0.0.1:" + server.port());
        }

        /** Signs in at {@code /admin}; the cookie's value. */
        String signIn(String token) throws Exception {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/admin"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(303);
            String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
            assertThat(setCookie).startsWith(DashboardRoutes.COOKIE + "=");
            return setCookie.substring(DashboardRoutes.COOKIE.length() + 1, setCookie.indexOf(';'));
        }

        /** Whether the app page, requested with this cookie (or none), is a maintainer's. */
        boolean isMaintainer(String cookie) throws Exception {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(base + "/apps/acme"));
            if (cookie != null) {
                get.header("Cookie", DashboardRoutes.COOKIE + "=" + cookie);
            }
            HttpResponse<String> r = CLIENT.send(get.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body().contains("class=\"maintainer-note\"");
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
