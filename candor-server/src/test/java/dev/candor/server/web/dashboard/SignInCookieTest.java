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
 * and by no collector on another one; it ends when the token changes, when it expires, and when it
 * is signed out (on every node, across restarts, and for that browser alone); cookies of versions 1
 * (keyed by the token itself) and 2 (no id, so no sign-out on the server) are no sign-in.
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
        assertThat(parts).hasSize(4);
        for (String message : List.of("candor dashboard sign-in|v1|" + parts[1], "candor dashboard sign-in|v2|" + parts[1],
                "candor dashboard sign-in|" + parts[0] + "|" + parts[1] + "|" + parts[2])) {
            for (String guess : GUESSES) {
                assertThat(hmac(guess.getBytes(StandardCharsets.UTF_8), message))
                        .as("a MAC keyed by the guess " + guess + " over " + message).isNotEqualTo(parts[3]);
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
        assertThat(cookie).startsWith("v3.");
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

    /** Expiry is still enforced, a tampered expiry or id breaks the MAC, and version 1 and 2 cookies are refused. */
    @Test
    void expiredTamperedAndVersionOneCookiesAreRefused() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            DashboardRoutes routes = routes(store, TOKEN);
            long now = Instant.now().getEpochSecond();
            assertThat(routes.validSignIn(routes.signInValue(now + 60), now)).isTrue();
            assertThat(routes.validSignIn(routes.signInValue(now), now)).as("expires now").isFalse();
            assertThat(routes.validSignIn(routes.signInValue(now - 1), now)).as("expired").isFalse();
            String[] parts = routes.signInValue(now + 60).split("\\.");
            assertThat(routes.validSignIn(parts[0] + "." + (now + 7200) + "." + parts[2] + "." + parts[3], now))
                    .as("tampered expiry").isFalse();
            String otherId = routes.signInValue(now + 60).split("\\.")[2];
            assertThat(routes.validSignIn(parts[0] + "." + parts[1] + "." + otherId + "." + parts[3], now))
                    .as("another sign-in's id").isFalse();
            // exactly what the collector issued before this version: keyed by the secret and the token, no id
            byte[] key = hmacBytes(secret(store), ("candor dashboard sign-in key|v2|" + TOKEN).getBytes(StandardCharsets.UTF_8));
            String v2 = "v2." + (now + 3600) + "." + hmac(key, "candor dashboard sign-in|v2|" + (now + 3600));
            assertThat(routes.validSignIn(v2, now)).as("a version 2 cookie").isFalse();
            // exactly what the collector issued before this version: keyed by the token itself
            String v1 = "v1." + (now + 3600) + "." + hmac(TOKEN.getBytes(StandardCharsets.UTF_8),
                    "candor dashboard sign-in|v1|" + (now + 3600));
            assertThat(routes.validSignIn(v1, now)).as("a version 1 cookie").isFalse();
            assertThat(routes.validSignIn("v1." + parts[1] + "." + parts[3], now)).isFalse();
            assertThat(routes.validSignIn("v2." + parts[1] + "." + parts[2] + "." + parts[3], now)).isFalse();
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

    /**
     * Signing out ends that sign-in on the server: a copy of its cookie taken before (from a proxy's log, a
     * copied profile) is refused, after a restart too, while another browser's sign-in goes on.
     */
    @Test
    void signingOutEndsTheSignInForEveryCopyOfItsCookie() throws Exception {
        String copied;
        String otherBrowser;
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Reports.saveAcmeCatalog(store);
            try (Served node = Served.on(store, TOKEN)) {
                copied = node.signIn(TOKEN);
                otherBrowser = node.signIn(TOKEN);
                assertThat(node.isMaintainer(copied)).isTrue();
                HttpResponse<String> out = node.signOut(copied);
                assertThat(out.statusCode()).isEqualTo(303);
                assertThat(out.headers().firstValue("set-cookie").orElseThrow())
                        .as("the browser is told to drop it").startsWith(DashboardRoutes.COOKIE + "=;").contains("Max-Age=0");
                assertThat(node.isMaintainer(copied)).as("the copy, after sign-out").isFalse();
                assertThat(node.isMaintainer(otherBrowser)).as("another browser's sign-in").isTrue();
                assertThat(node.signOut(copied).statusCode()).as("signing out twice").isEqualTo(303);
            }
            assertThat(endedIds(store)).containsExactly(copied.split("\\.")[2]);
        }
        try (SqliteReportStore store = SqliteReportStore.open(data);
                Served restarted = Served.on(store, TOKEN)) {
            assertThat(restarted.isMaintainer(copied)).as("the copy, after a restart").isFalse();
            assertThat(restarted.isMaintainer(otherBrowser)).isTrue();
        }
    }

    /**
     * Only a genuine sign-in can be signed out: a forged, tampered or expired cookie writes nothing (so the
     * table cannot be filled by anyone without the token), and rows go once their sign-in would have expired.
     */
    @Test
    void onlyGenuineSignInsAreRecordedAndExpiredOnesAreDropped() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            Reports.saveAcmeCatalog(store);
            DashboardRoutes routes = routes(store, TOKEN);
            long now = Instant.now().getEpochSecond();
            String genuine = routes.signInValue(now + 60);
            String[] parts = genuine.split("\\.");
            try (Served node = Served.on(store, TOKEN)) {
                for (String forged : List.of("v3." + (now + 60) + ".AAAAAAAAAAAAAAAAAAAAAA." + parts[3],
                        parts[0] + "." + (now + 7200) + "." + parts[2] + "." + parts[3], routes.signInValue(now - 1),
                        "v3.1.2.3", "v3." + (now + 60) + ".'||'.x", "")) {
                    assertThat(node.signOut(forged).statusCode()).as(forged).isEqualTo(303);
                }
                assertThat(endedIds(store)).as("nothing recorded for a cookie that is no sign-in").isEmpty();
            }
            routes.signOut(genuine, now - 100); // recorded as if it had been signed out 100 s ago
            assertThat(endedIds(store)).containsExactly(parts[2]);
            // a sign-out after the first one's row expired (its expiry is kept to the end of its hour)
            routes.signOut(routes.signInValue(now + 4 * 3600), now + 60 + 3600);
            assertThat(endedIds(store)).as("the expired sign-in's row is dropped").hasSize(1).doesNotContain(parts[2]);
        }
    }

    /** Signed out on one node of a PostgreSQL deployment: every other node refuses the cookie. */
    @Test
    void aSignOutOnOneNodeIsSeenByTheOthers() throws Exception {
        String url = TestPostgres.newDatabase();
        try (PostgresReportStore one = PostgresReportStore.open(url, null, null);
                PostgresReportStore two = PostgresReportStore.open(url, null, null)) {
            Reports.saveAcmeCatalog(one);
            try (Served nodeOne = Served.on(one, TOKEN); Served nodeTwo = Served.on(two, TOKEN)) {
                String cookie = nodeOne.signIn(TOKEN);
                assertThat(nodeTwo.isMaintainer(cookie)).isTrue();
                assertThat(nodeTwo.signOut(cookie).statusCode()).isEqualTo(303);
                assertThat(nodeOne.isMaintainer(cookie)).as("signed out on node 2, refused on node 1").isFalse();
                assertThat(nodeTwo.isMaintainer(cookie)).isFalse();
            }
        }
    }

    static List<String> endedIds(ReportStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection();
                ResultSet rows = c.createStatement().executeQuery("SELECT id FROM ended_sign_ins")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    static byte[] secret(ReportStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection();
                ResultSet rows = c.createStatement().executeQuery("SELECT secret FROM server_secrets")) {
            assertThat(rows.next()).isTrue();
            return rows.getBytes(1);
        }
    }

    static DashboardRoutes routes(ReportStore store, String token) {
        return DashboardRoutes.forCollector(store.dataSource(), CatalogRegistry.load(store), ReleasePolicy.defaults(), token);
    }

    static String hmac(byte[] key, String message) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmacBytes(key, message.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmacBytes(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
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

        /** Posts the sign-out form with this cookie. */
        HttpResponse<String> signOut(String cookie) throws Exception {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(base + DashboardRoutes.SIGN_OUT_PATH))
                    .header("Cookie", DashboardRoutes.COOKIE + "=" + cookie)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
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
