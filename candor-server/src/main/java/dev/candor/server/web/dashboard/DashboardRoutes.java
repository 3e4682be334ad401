package dev.candor.server.web.dashboard;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.ingest.Problem;
import dev.candor.server.ingest.ProblemException;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.stats.Breakdowns;
import dev.candor.server.stats.StatsSource;
import dev.candor.server.stats.StoreStatsSource;
import dev.candor.server.store.ServerSecrets;
import dev.candor.server.web.CollectorServer;
import dev.candor.server.web.JettyBodyStream;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The dashboard's routes: {@code /}, {@code /apps/{app}}, {@code /apps/{app}/telemetry}, and a
 * maintainer sign-in at {@code /admin} that sets an HTTP-only, same-site cookie (a browser cannot
 * send an {@code Authorization} header on a link) holding a proof that the admin token was given,
 * never the token itself, nor anything a guess at the token can be checked against (see
 * {@link #signInValue}). A request is a maintainer's when it carries the token as
 * {@code Authorization: Bearer …} or a valid, unexpired sign-in cookie that was not signed out;
 * without a configured token nobody is, and {@code /admin} says so. Signing out ends the sign-in on
 * the server too ({@link SignOuts}), so a copy of its cookie is refused from then on.
 */
public final class DashboardRoutes {

    static final String COOKIE = "candor_admin";
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    static final String SIGN_OUT_PATH = "/admin/sign-out";
    /** How long a sign-in lasts, in the browser and on the server. */
    static final int SIGN_IN_SECONDS = 8 * 3600;
    /** The name of the random secret, in the collector's database, that sign-in cookies are keyed by. */
    public static final String SIGN_IN_SECRET = "dashboard-sign-in";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VERSION = "v3";
    /** Random bytes naming one sign-in, so that signing out can end that one alone. */
    private static final int SIGN_IN_ID_BYTES = 16;

    private final DashboardPages pages;
    private final byte[] adminToken;
    /** The key sign-in cookies are MACed with (see {@link #signInValue}); {@code null} when admin access is off. */
    private final SecretKeySpec signInKey;
    private final SignOuts signOuts;

    /**
     * Routes whose sign-ins are keyed by a random secret made now and held only by this object: they
     * are accepted by it alone and end when it does, as do its sign-outs. A collector uses {@link #forCollector}, whose
     * sign-ins every node on its database accepts, across restarts.
     *
     * @param adminToken the collector's admin token, or {@code null} when admin access is off
     */
    public DashboardRoutes(DashboardPages pages, String adminToken) {
        this(pages, adminToken, randomSecret());
    }

    /**
     * @param adminToken the collector's admin token, or {@code null} when admin access is off
     * @param signInSecret at least 32 random bytes that nothing outside the collector knows (a cookie
     *     names neither them nor anything derived from them), shared by every process that is to accept
     *     the same sign-ins
     */
    public DashboardRoutes(DashboardPages pages, String adminToken, byte[] signInSecret) {
        this(pages, adminToken, signInSecret, SignOuts.inMemory());
    }

    private DashboardRoutes(DashboardPages pages, String adminToken, byte[] signInSecret, SignOuts signOuts) {
        this.pages = pages;
        this.signOuts = signOuts;
        this.adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        if (this.adminToken == null) {
            this.signInKey = null;
        } else {
            if (signInSecret == null || signInSecret.length < ServerSecrets.LENGTH) {
                throw new IllegalArgumentException("the sign-in secret must be at least " + ServerSecrets.LENGTH
                        + " random bytes");
            }
            this.signInKey = new SecretKeySpec(hmac(signInSecret, "candor dashboard sign-in key|" + VERSION + "|",
                    this.adminToken), "HmacSHA256");
        }
    }

    /**
     * The dashboard of a collector: its database's releases and rollups, its current catalogs, and
     * sign-ins keyed by the database's {@value #SIGN_IN_SECRET} secret (made on first use), so every
     * node on the database accepts the same cookies, across restarts; sign-outs are kept in the same
     * database, so every node refuses a signed-out cookie.
     *
     * @throws dev.candor.server.store.StoreUnavailableException if the secret cannot be read or made
     */
    public static DashboardRoutes forCollector(DataSource database, CatalogRegistry catalogs, ReleasePolicy policy,
                                               String adminToken) {
        StatsSource stats = new StoreStatsSource(new ReleaseLedger(database), new RollupStore(database));
        byte[] secret = adminToken == null || adminToken.isEmpty() ? null : ServerSecrets.getOrCreate(database, SIGN_IN_SECRET);
        return new DashboardRoutes(new DashboardPages(stats, AppCatalogs.of(catalogs), policy), adminToken, secret,
                SignOuts.storedIn(database));
    }

    public void addTo(Javalin app) {
        app.get("/", ctx -> DashboardPages.send(ctx, pages.index()));
        app.get("/apps/{app}", ctx -> {
            String name = ctx.pathParam("app");
            String by = ctx.queryParam("by");
            if (by != null && !Breakdowns.ALL.contains(by)) { // a mistyped link shows what is wrong, not the page without it
                ctx.status(400);
                DashboardPages.send(ctx, pages.badRequest("There is no breakdown \"" + (by.length() <= 100 ? by
                        : by.substring(0, 100) + "…") + "\" to show the features by. Use by= one of "
                        + String.join(", ", Breakdowns.DIMENSIONS) + " (or " + Breakdowns.OVERALL
                        + ", or leave it out, for none).", name));
                return;
            }
            pages.app(name, ctx.queryParam("period"), ctx.queryParam("by"), isMaintainer(ctx), baseUrl(ctx))
                    .ifPresentOrElse(page -> DashboardPages.send(ctx, page), () -> notFound(ctx, name));
        });
        app.get("/apps/{app}/telemetry", ctx -> {
            String name = ctx.pathParam("app");
            pages.telemetry(name).ifPresentOrElse(page -> DashboardPages.send(ctx, page), () -> notFound(ctx, name));
        });
        // A browser that follows a wrong link gets a page saying where to go, not the collector's problem
        // document (raw JSON in a browser); programs, and anything under /v1/ (the API), keep the problem.
        // Runs after the collector's own 404 answer, and leaves a page already sent (an unknown app's) alone.
        app.error(404, "html", ctx -> {
            boolean read = ctx.method() == io.javalin.http.HandlerType.GET || ctx.method() == io.javalin.http.HandlerType.HEAD;
            if (read && !ctx.path().startsWith("/v1/") && ctx.res().getHeader("Content-Security-Policy") == null) {
                String path = ctx.path().length() <= 100 ? ctx.path() : ctx.path().substring(0, 100) + "…";
                DashboardPages.send(ctx, pages.notFound("There is no page at " + path + " on this collector."));
            }
        });
        app.get(CollectorServer.SIGN_IN_PATH, ctx -> SignInPage.send(ctx, null, hasSignInCookie(ctx)));
        // a wrong token here counts toward the collector's limit on wrong admin tokens (it answers 401)
        app.post(CollectorServer.SIGN_IN_PATH, ctx -> {
            // The form is sent url-encoded, as the page's form is: a multipart body or any other is not parsed at all
            // (Javalin would answer 500 for a broken multipart one).
            String type = ctx.contentType();
            if (type == null || !type.strip().toLowerCase(java.util.Locale.ROOT).startsWith(FORM_TYPE)) {
                ctx.status(415);
                SignInPage.send(ctx, "The sign-in form is read only as " + FORM_TYPE + ", as this page sends it.");
                return;
            }
            String token;
            try {
                token = ctx.formParam("token");
            } catch (Exception e) {
                // a form that stops arriving: Javalin would answer a bare 500 for Jetty's idle timeout
                String slow = JettyBodyStream.tooSlow(e);
                if (slow != null) {
                    throw new ProblemException(Problem.requestTimeout(slow + "; nothing of this request was used"));
                }
                if (e instanceof java.nio.charset.IllegalCharsetNameException
                        || e instanceof java.nio.charset.UnsupportedCharsetException) {
                    ctx.status(400);
                    SignInPage.send(ctx, "The form's charset is not one this collector reads; send it as UTF-8.");
                    return;
                }
                throw e;
            }
            if (adminToken == null) {
                ctx.status(403);
                SignInPage.send(ctx, "Admin access is off on this collector (start it with --admin-token or CANDOR_ADMIN_TOKEN).");
            } else if (token == null || !matches(token)) {
                ctx.status(401);
                SignInPage.send(ctx, "That is not this collector's admin token.");
            } else {
                ctx.cookie(new Cookie(COOKIE, signInValue(Instant.now().getEpochSecond() + SIGN_IN_SECONDS), "/",
                        SIGN_IN_SECONDS, ctx.scheme().equals("https"), 0, true, null, null, SameSite.STRICT));
                ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            }
        });
        app.post(SIGN_OUT_PATH, ctx -> {
            String cookie = ctx.cookie(COOKIE);
            if (cookie != null) {
                signOut(cookie, Instant.now().getEpochSecond()); // before the cookie goes: a store error keeps it
            }
            ctx.removeCookie(COOKIE, "/");
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    /**
     * Whether the request carries the admin token (header or sign-in cookie). A Bearer token sent in a
     * header is checked: a wrong one is told so (401, as on every admin endpoint, and counted toward the
     * limit on wrong tokens) rather than quietly shown the public page, which would let a guesser tell a
     * right guess by the page alone. A credential of another scheme belongs to an authenticating proxy in
     * front of the collector, and is left alone.
     */
    boolean isMaintainer(Context ctx) {
        if (adminToken == null) {
            return false;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) { // another scheme is a proxy's, not ours
            if (matches(auth.substring(7).trim())) {
                return true;
            }
            throw new ProblemException(new Problem(401, "unauthorized", "Admin token required",
                    "the admin token is wrong; send Authorization: Bearer <admin token>, or sign in at "
                            + CollectorServer.SIGN_IN_PATH, List.of()));
        }
        String cookie = ctx.cookie(COOKIE);
        return cookie != null && validSignIn(cookie, Instant.now().getEpochSecond());
    }

    /** Whether the request carries a valid sign-in cookie (a header's token is not looked at). */
    private boolean hasSignInCookie(Context ctx) {
        String cookie = ctx.cookie(COOKIE);
        return adminToken != null && cookie != null && validSignIn(cookie, Instant.now().getEpochSecond());
    }

    /**
     * A new sign-in cookie's value: {@code v3.<expiry>.<id>.<MAC>}, where {@code id} is 16 random
     * bytes naming this sign-in (so that signing out can end it alone, {@link SignOuts}) and MAC is
     * HMAC-SHA-256, keyed by {@code K}, over a fixed label, the expiry and the id, and
     * {@code K = HMAC-SHA-256(S, label | admin token)} with {@code S} the collector's random
     * {@value #SIGN_IN_SECRET} secret (32 bytes from {@link SecureRandom}, kept in its database, never
     * sent anywhere).
     *
     * <p>Why so: a MAC keyed by something a person chose can be recomputed by anyone holding one cookie
     * for every guess at that key, offline and at hash speed; version 1 of this cookie was keyed by the
     * admin token itself, so one leaked cookie (from a log, a proxy, a copied browser profile) let anyone
     * try a word list against the token. Keyed by {@code K}, a cookie is useless for guessing the token
     * without {@code S} as well, and {@code S} is 256 random bits in the database, never in a cookie or a
     * log. Whoever can read the database can again check guesses against a cookie, but that reader
     * already has every exact number the token would show.
     *
     * <p>{@code K} depends on the token too, so changing the admin token ends every sign-in made with the
     * old one, on every node, with nothing to store or coordinate: a node started with the new token
     * computes a different {@code K}. (The alternative, storing a hash of the token beside {@code S} and
     * making a new {@code S} when it changes, would store a second thing to guess the token against, and
     * during a rolling restart nodes with the old and the new token would keep replacing each other's
     * secret.) Because {@code S} is in the database, every node on it and every restart accepts the
     * cookie. It ends after 8 hours whatever the browser does, or when it is signed out. Cookies of
     * versions 1 and 2 (version 2 had no id, so it could not be signed out on the server) are refused.
     */
    String signInValue(long expiresEpochSecond) {
        byte[] id = new byte[SIGN_IN_ID_BYTES];
        RANDOM.nextBytes(id);
        String idText = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        return VERSION + "." + expiresEpochSecond + "." + idText + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signInMac(expiresEpochSecond, idText));
    }

    /** Whether {@code value} is a sign-in cookie of this collector's, unexpired and not signed out. */
    boolean validSignIn(String value, long nowEpochSecond) {
        SignIn signIn = SignIn.read(value);
        return signIn != null && isGenuine(signIn, nowEpochSecond) && !signOuts.isEnded(signIn.id());
    }

    /** Ends the sign-in whose cookie {@code value} is, on every node; nothing when it is no sign-in. */
    void signOut(String value, long nowEpochSecond) {
        SignIn signIn = SignIn.read(value);
        if (signIn != null && isGenuine(signIn, nowEpochSecond)) {
            signOuts.end(signIn.id(), signIn.expires(), nowEpochSecond);
        }
    }

    private boolean isGenuine(SignIn signIn, long nowEpochSecond) {
        return signInKey != null && signIn.expires() > nowEpochSecond
                && MessageDigest.isEqual(signIn.mac(), signInMac(signIn.expires(), signIn.id()));
    }

    /** A sign-in cookie's parts, as sent: nothing is checked but their form. */
    private record SignIn(long expires, String id, byte[] mac) {
        static SignIn read(String value) {
            String[] parts = value.split("\\.", -1);
            if (parts.length != 4 || !parts[0].equals(VERSION) || parts[2].length() != (SIGN_IN_ID_BYTES * 4 + 2) / 3) {
                return null;
            }
            try {
                Base64.getUrlDecoder().decode(parts[2]); // the id: only base64url characters reach the store
                return new SignIn(Long.parseLong(parts[1]), parts[2], Base64.getUrlDecoder().decode(parts[3]));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private byte[] signInMac(long expiresEpochSecond, String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signInKey);
            return mac.doFinal(("candor dashboard sign-in|" + VERSION + "|" + expiresEpochSecond + "|" + id)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /** HMAC-SHA-256 keyed by {@code key} over {@code label}'s UTF-8 bytes followed by {@code data}. */
    private static byte[] hmac(byte[] key, String label, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[ServerSecrets.LENGTH];
        RANDOM.nextBytes(secret);
        return secret;
    }

    private boolean matches(String token) {
        return MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8));
    }

    private void notFound(Context ctx, String app) {
        ctx.status(404);
        DashboardPages.send(ctx, pages.notFound("This collector has no app named \"" + app + "\"."));
    }

    private static String baseUrl(Context ctx) {
        String host = ctx.host();
        return ctx.scheme() + "://" + (host == null ? "localhost" : host);
    }
}
