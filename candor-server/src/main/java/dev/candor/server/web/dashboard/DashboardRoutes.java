package dev.candor.server.web.dashboard;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.stats.StatsSource;
import dev.candor.server.stats.StoreStatsSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The dashboard's routes: {@code /}, {@code /apps/{app}}, {@code /apps/{app}/telemetry}, and a
 * maintainer sign-in at {@code /admin} that sets an HTTP-only, same-site cookie (a browser cannot
 * send an {@code Authorization} header on a link) holding a proof of the admin token, never the
 * token itself (see {@link #signInValue}). A request is a maintainer's when it carries the token
 * as {@code Authorization: Bearer …} or a valid, unexpired sign-in cookie;
 * without a configured token nobody is, and {@code /admin} says so.
 */
public final class DashboardRoutes {

    static final String COOKIE = "candor_admin";
    /** How long a sign-in lasts, in the browser and on the server. */
    static final int SIGN_IN_SECONDS = 8 * 3600;

    private final DashboardPages pages;
    private final byte[] adminToken;

    /** @param adminToken the collector's admin token, or {@code null} when admin access is off */
    public DashboardRoutes(DashboardPages pages, String adminToken) {
        this.pages = pages;
        this.adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The dashboard of a collector: its database's releases and rollups, its current catalogs. */
    public static DashboardRoutes forCollector(DataSource database, CatalogRegistry catalogs, ReleasePolicy policy,
                                               String adminToken) {
        StatsSource stats = new StoreStatsSource(new ReleaseLedger(database), new RollupStore(database));
        return new DashboardRoutes(new DashboardPages(stats, AppCatalogs.of(catalogs), policy), adminToken);
    }

    public void addTo(Javalin app) {
        app.get("/", ctx -> html(ctx, pages.index()));
        app.get("/apps/{app}", ctx -> {
            String name = ctx.pathParam("app");
            pages.app(name, ctx.queryParam("period"), ctx.queryParam("by"), isMaintainer(ctx), baseUrl(ctx))
                    .ifPresentOrElse(page -> html(ctx, page), () -> notFound(ctx, name));
        });
        app.get("/apps/{app}/telemetry", ctx -> {
            String name = ctx.pathParam("app");
            pages.telemetry(name).ifPresentOrElse(page -> html(ctx, page), () -> notFound(ctx, name));
        });
        app.get("/admin", ctx -> html(ctx, signInPage(null)));
        app.post("/admin", ctx -> {
            String token = ctx.formParam("token");
            if (adminToken == null) {
                ctx.status(403);
                html(ctx, signInPage("Admin access is off on this collector (start it with --admin-token or CANDOR_ADMIN_TOKEN)."));
            } else if (token == null || !matches(token)) {
                ctx.status(401);
                html(ctx, signInPage("That is not this collector's admin token."));
            } else {
                ctx.cookie(new Cookie(COOKIE, signInValue(Instant.now().getEpochSecond() + SIGN_IN_SECONDS), "/",
                        SIGN_IN_SECONDS, ctx.scheme().equals("https"), 0, true, null, null, SameSite.STRICT));
                ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            }
        });
        app.post("/admin/sign-out", ctx -> {
            ctx.removeCookie(COOKIE, "/");
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    /** Whether the request carries the admin token (header or sign-in cookie). */
    boolean isMaintainer(Context ctx) {
        if (adminToken == null) {
            return false;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).trim())) {
            return true;
        }
        String cookie = ctx.cookie(COOKIE);
        return cookie != null && validSignIn(cookie, Instant.now().getEpochSecond());
    }

    /**
     * The sign-in cookie's value: {@code v1.<expiry>.<HMAC-SHA-256 keyed by the admin token over a fixed
     * label and the expiry>}. It proves the token was given without containing it (a leaked cookie, in a
     * log or a backup of a browser profile, cannot be turned back into the token), it ends after 8 hours
     * whatever the browser does, and any collector node with the same token accepts it, across restarts.
     */
    String signInValue(long expiresEpochSecond) {
        return "v1." + expiresEpochSecond + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signInMac(expiresEpochSecond));
    }

    boolean validSignIn(String value, long nowEpochSecond) {
        String[] parts = value.split("\\.");
        if (parts.length != 3 || !parts[0].equals("v1")) {
            return false;
        }
        long expires;
        byte[] mac;
        try {
            expires = Long.parseLong(parts[1]);
            mac = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return expires > nowEpochSecond && MessageDigest.isEqual(mac, signInMac(expires));
    }

    private byte[] signInMac(long expiresEpochSecond) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(adminToken, "HmacSHA256"));
            return mac.doFinal(("candor dashboard sign-in|v1|" + expiresEpochSecond).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private boolean matches(String token) {
        return MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8));
    }

    private String signInPage(String problem) {
        String body = "<h1>Maintainer sign-in</h1>\n"
                + (problem == null ? "" : "<p class=\"notice\">" + Html.esc(problem) + "</p>\n")
                + "<p>With the collector's admin token you also see the exact numbers of periods that are not "
                + "released yet. Everyone else sees releases only.</p>\n"
                + "<form method=\"post\" action=\"/admin\"><label>Admin token <input type=\"password\" name=\"token\" "
                + "autocomplete=\"current-password\" required></label> <button type=\"submit\">Sign in</button></form>\n"
                + "<form method=\"post\" action=\"/admin/sign-out\"><button type=\"submit\">Sign out</button></form>\n";
        return DashboardPages.page("Maintainer sign-in — Candor", body, null);
    }

    private void notFound(Context ctx, String app) {
        ctx.status(404);
        html(ctx, pages.notFound("This collector has no app named \"" + app + "\"."));
    }

    private static void html(Context ctx, String page) {
        ctx.contentType("text/html; charset=utf-8");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(page);
    }

    private static String baseUrl(Context ctx) {
        String host = ctx.host();
        return ctx.scheme() + "://" + (host == null ? "localhost" : host);
    }
}
