package dev.candor.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.ingest.PeerRateLimiter;
import dev.candor.server.ingest.Problem;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.ingest.ProblemException;
import dev.candor.server.ingest.ReportIngest;
import dev.candor.server.ingest.RequestBody;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.ReportStore.PeriodCount;
import dev.candor.server.store.ReportStore.StoreOutcome;
import dev.candor.server.store.StoreUnavailableException;
import dev.candor.server.web.dashboard.SignInPage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP server (Javalin on Jetty): {@code POST /v1/reports}, the catalogs, the
 * admin periods list, {@code /metrics} (its exact counts with the admin token) and {@code /healthz}. Every failure is answered with
 * {@code application/problem+json}. The peer address is read only to feed the rate limiter's
 * in-memory keyed hash; nothing here logs it, and no request log line is written.
 *
 * <p>{@link #close()} stops accepting connections, lets requests in flight finish (their commits
 * included) for up to {@link Settings#stopTimeoutMillis()}, then returns; the caller closes the store after.
 */
public final class CollectorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorServer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /*
     * Slow senders. A request body is read blocking on a Jetty worker thread (RequestBody.read), so
     * a client that sends headers and a byte of body and then waits holds a worker for as long as
     * Jetty lets it; with Javalin's defaults (250 workers, 30 s idle timeout) about 300 such
     * connections from one machine stopped the whole collector for 30 s. Three of Jetty's own
     * means bound it, each for one shape of the attack:
     *
     * - REQUEST_IDLE_MILLIS: the connector's idle timeout, for every connection from accept to
     *   close. A body that stops arriving fails after 5 s instead of 30 s, and a kept-alive
     *   connection with no request is closed after 5 s. It never cuts a slow commit: Jetty's idle
     *   timeout only fails reads and writes that are waiting, and nothing waits on the connection
     *   while a handler commits. (Not HttpConfiguration's per-request idle timeout: Jetty restores
     *   the connection's earlier timeout when a request completes, and when a stop had shortened it
     *   to 1 s meanwhile, the restored 30 s kept the connection open past the stop's deadline.)
     * - MIN_BODY_BYTES_PER_SECOND: HttpConfiguration's minimum request data rate, checked by
     *   Jetty as the body arrives, so a body trickling a byte every few seconds (which the idle
     *   timeout never sees) fails too. A report is a few kilobytes; 1 KiB/s is far below any
     *   real link.
     * - BODIES_PER_PEER (BodyReadSlots): the timeouts bound how long a worker is held, not how
     *   many; this bounds how many one address can hold at once, and refuses the rest at once.
     *   The bench posts over 16 connections, an install over one; 32 leaves room for both.
     *
     * Reading bodies asynchronously (servlet ReadListener) would hold no worker at all, but it
     * turns every body route into a callback chain around a blocking commit for a problem the
     * three settings above already bound; and Jetty 11 has no per-address connection limit of its
     * own (DoSFilter lives in jetty-servlets, which the collector does not otherwise need).
     */
    static final long REQUEST_IDLE_MILLIS = 5_000;
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;
    static final int BODIES_PER_PEER = 32;

    /**
     * Guessing the admin token: each sender (see {@link ClientAddress}) may send this many wrong tokens at
     * once, then {@link #WRONG_TOKENS_PER_MINUTE} more a minute. Past that, every request of its to a route that
     * exists that carries a token (a Bearer credential, or the dashboard's sign-in form at {@link #SIGN_IN_PATH})
     * is told to wait
     * (429, {@code Retry-After}) before its token is even looked at, so a right guess then gives nothing
     * away; the reports and the public pages are not held up. A maintainer who mistypes ten
     * times waits a minute; a guesser gets about 70 tries an hour per address instead of thousands a second.
     * The count lives in memory under the rate limiter's hourly salt, so it too forgets every address
     * within the hour.
     */
    static final int WRONG_TOKENS_AT_ONCE = 10;
    static final double WRONG_TOKENS_PER_MINUTE = 1;
    private static final String TOOK_A_GUESS = "candor.took-a-wrong-token-slot";
    /** Where the dashboard's sign-in form posts the admin token. */
    public static final String SIGN_IN_PATH = "/admin";

    /**
     * How to run the server.
     *
     * @param adminToken the admin token, or null to switch the admin endpoints off
     * @param rateLimitPerMinute report requests allowed per sender per minute; 0 switches the limit off
     * @param clients which address a request counts against (the peer, or behind a trusted proxy the client)
     */
    public record Settings(String host, int port, String adminToken, int rateLimitPerMinute, long stopTimeoutMillis,
            ClientAddress clients) {
        /** Settings that trust no proxy. */
        public Settings(String host, int port, String adminToken, int rateLimitPerMinute, long stopTimeoutMillis) {
            this(host, port, adminToken, rateLimitPerMinute, stopTimeoutMillis, ClientAddress.peerOnly());
        }
    }

    private final Javalin app;
    private final ReportIngest ingest;
    private final ReportStore store;
    private final CatalogRegistry catalogs;
    private final CollectorMetrics metrics;
    private final PeerRateLimiter limiter;
    private final PeerRateLimiter wrongTokens =
            new PeerRateLimiter(WRONG_TOKENS_AT_ONCE, WRONG_TOKENS_PER_MINUTE, System::currentTimeMillis);
    private final AdminAccess admin;
    private final ReleaseRoutes releases;
    private final BodyReadSlots bodyReads = new BodyReadSlots(BODIES_PER_PEER);
    private final CommitHealth health = new CommitHealth();
    private final ClientAddress clients;

    private CollectorServer(Settings settings, ReportIngest ingest, ReportStore store, CatalogRegistry catalogs,
            CollectorMetrics metrics, ReleaseRoutes releases, Consumer<Javalin> pages) {
        this.releases = releases;
        this.ingest = ingest;
        this.store = store;
        this.catalogs = catalogs;
        this.metrics = metrics;
        metrics.storageUp(() -> health.failingSince().isEmpty() && store.databaseGone().isEmpty());
        this.limiter = new PeerRateLimiter(settings.rateLimitPerMinute());
        this.admin = new AdminAccess(settings.adminToken());
        this.clients = settings.clients();
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.prefer405over404 = true;
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                connector.setIdleTimeout(REQUEST_IDLE_MILLIS);
                return connector;
            });
            config.jetty.modifyHttpConfiguration(http -> {
                http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);
                http.addCustomizer(new Utf8Authorization());
                // Behind a trusted proxy that ended TLS, the request is https as the sender sent it: the sign-in
                // cookie is then marked Secure, as it is when the collector serves TLS itself.
                http.addCustomizer((connector, channel, request) -> {
                    if (clients.forwardedOverHttps(request.getRemoteAddr(), request.getHeader("X-Forwarded-Proto"))) {
                        request.setHttpURI(HttpURI.build(request.getHttpURI()).scheme("https"));
                        request.setSecure(true);
                    }
                });
            });
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(settings.stopTimeoutMillis());
                server.setErrorHandler(new ProblemErrorHandler());
            });
            config.requestLogger.http((ctx, millis) -> metrics.request(
                    ctx.method().name(), routeOf(ctx), ctx.statusCode(), millis.doubleValue()));
        });
        routes();
        pages.accept(app);
        headAsGet();
    }

    /**
     * Gives every GET route a HEAD route that runs the same handler, so that HEAD answers with the status and
     * headers GET would (RFC 9110 §9.3.2), 401 for a missing token included, and Jetty leaves the body out. On its
     * own, Javalin answers a HEAD to a GET route 200 without running anything, so a HEAD to an admin route said 200
     * whatever token it carried. Runs once every route is registered, so routes added later get theirs too.
     */
    private void headAsGet() {
        List<io.javalin.router.Endpoint> endpoints = app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(io.javalin.router.ParsedEndpoint::getEndpoint).toList();
        for (io.javalin.router.Endpoint get : endpoints) {
            boolean hasHead = endpoints.stream().anyMatch(e -> e.getMethod() == HandlerType.HEAD && e.getPath().equals(get.getPath()));
            if (get.getMethod() == HandlerType.GET && !hasHead) {
                app.head(get.getPath(), get.getHandler());
            }
        }
    }

    /** Starts the server; port 0 picks a free port (see {@link #port()}). */
    public static CollectorServer start(Settings settings, ReportIngest ingest, ReportStore store,
            CatalogRegistry catalogs, CollectorMetrics metrics) {
        return start(settings, ingest, store, catalogs, metrics, null, app -> { });
    }

    /** Starts the server with more routes from {@code pages} (the dashboard, see {@code web.dashboard}). */
    public static CollectorServer start(Settings settings, ReportIngest ingest, ReportStore store,
            CatalogRegistry catalogs, CollectorMetrics metrics, Consumer<Javalin> pages) {
        return start(settings, ingest, store, catalogs, metrics, null, pages);
    }

    /** Starts the server with the stats, ledger and rollups routes of {@code releases}. */
    public static CollectorServer start(Settings settings, ReportIngest ingest, ReportStore store,
            CatalogRegistry catalogs, CollectorMetrics metrics, ReleaseRoutes releases) {
        return start(settings, ingest, store, catalogs, metrics, releases, app -> { });
    }

    /**
     * Starts the server with the routes of {@code releases} (stats, ledger, rollups; null: without
     * them) and more routes from {@code pages} (the dashboard).
     */
    public static CollectorServer start(Settings settings, ReportIngest ingest, ReportStore store,
            CatalogRegistry catalogs, CollectorMetrics metrics, ReleaseRoutes releases, Consumer<Javalin> pages) {
        CollectorServer server = new CollectorServer(settings, ingest, store, catalogs, metrics, releases, pages);
        server.app.start();
        return server;
    }

    public int port() {
        return app.port();
    }

    /** Where the server answers, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri(String host) {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    private void routes() {
        if (admin.enabled()) {
            // Each request with a token takes one from its sender's bucket before the token is looked at, and
            // gives it back unless the token was wrong: requests sent at once cannot all pass a mere check.
            // Only on a matched route (so its 429s are counted in the metrics under that route, and a path that
            // does not exist answers 404 as it would anyway). HEAD too: it runs GET's handler, token check and all
            // (headAsGet), so its 401 would otherwise tell a right guess from a wrong one without limit.
            app.beforeMatched(ctx -> {
                if (sendsAdminToken(ctx)) {
                    long wait = wrongTokens.acquire(client(ctx));
                    if (wait > 0 && isSignInForm(ctx)) { // a browser's: it shows a page, not a problem document
                        SignInPage.tooManyWrongTokens(ctx, wait, WRONG_TOKENS_AT_ONCE);
                        ctx.skipRemainingHandlers();
                        return;
                    }
                    if (wait > 0) {
                        ctx.header("Retry-After", Long.toString(wait));
                        throw new ProblemException(Problem.tooManyWrongTokens(wait, WRONG_TOKENS_AT_ONCE));
                    }
                    ctx.attribute(TOOK_A_GUESS, Boolean.TRUE);
                }
            });
            app.after(ctx -> {
                if (ctx.attribute(TOOK_A_GUESS) != null && ctx.statusCode() != 401) {
                    wrongTokens.giveBack(client(ctx));
                }
            });
        }
        app.get("/healthz", this::getHealth);
        // Anyone may scrape how the process and its storage are doing; the counts (reports accepted,
        // duplicate, rejected, requests per status, commits) are exact, and DESIGN section 7 lets only
        // releases be public, so they come only with the admin token, like the exact periods list
        // (Prometheus: authorization: credentials: <token>). A token that is sent is checked: a wrong
        // one is told so (401) rather than quietly given the public part.
        app.get("/metrics", ctx -> {
            String authorization = ctx.header("Authorization");
            if (authorization != null) {
                admin.check(authorization);
            }
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(authorization == null ? metrics.scrapeProcess() : metrics.scrapeWithCounts());
        });
        app.post("/v1/reports", this::postReports);
        app.get("/v1/apps/{app}/catalog", this::getCatalog);
        app.put("/v1/apps/{app}/catalog", this::putCatalog);
        app.get("/v1/apps/{app}/periods", this::getPeriods);
        app.get("/v1/apps", this::getApps);
        if (releases != null) {
            releases.register(app, catalogs, admin);
        }

        app.exception(ProblemException.class, (e, ctx) -> {
            if (ctx.handlerType() == HandlerType.POST && "/v1/reports".equals(ctx.endpointHandlerPath())) {
                metrics.rejected(e.problem().kind());
            }
            respond(ctx, e.problem());
        });
        app.exception(StoreUnavailableException.class, (e, ctx) -> {
            if (!e.databaseGone()) { // that one the store logged once, and it would be logged for every request
                LOG.warn("storage unavailable: {}", e.getMessage());
            }
            if (ctx.handlerType() == HandlerType.POST) {
                metrics.rejected("storage-unavailable");
            }
            ctx.header("Retry-After", "30");
            respond(ctx, Problem.storageUnavailable(e.databaseGone()
                    ? "the collector's database file was deleted or replaced while it runs, so nothing can be stored "
                            + "until the collector is restarted"
                    : "storage cannot commit right now"));
        });
        app.exception(MethodNotAllowedResponse.class, (e, ctx) -> {
            // Javalin found the path under other methods and names them in the details (the key depends
            // on whether the client asked for JSON); RFC 9110 wants them in Allow.
            String allowed = e.getDetails().getOrDefault("availableMethods", e.getDetails().get("Available methods"));
            if (allowed != null && !allowed.isBlank()) {
                ctx.header("Allow", allowed);
            }
            respond(ctx, new Problem(405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed here"
                    + (allowed == null || allowed.isBlank() ? "" : "; allowed: " + allowed), List.of()));
        });
        app.exception(Exception.class, (e, ctx) -> {
            // A body Javalin read itself (the sign-in form) that came too slowly is the sender's doing, not ours.
            String slow = JettyBodyStream.tooSlow(e);
            if (slow != null) {
                respond(ctx, Problem.requestTimeout(slow + "; nothing of this request was used"));
                return;
            }
            // Without the exceptions' messages: they may quote the request (a charset named in its
            // Content-Type, a multipart boundary), and nothing a sender sent is ever logged.
            LOG.error("unexpected failure on {} {}: {}", ctx.method(), routeOf(ctx), withoutMessages(e));
            respond(ctx, new Problem(500, "internal", "Internal error",
                    "the collector failed unexpectedly; nothing of this request was stored", List.of()));
        });
        app.error(404, ctx -> {
            if (!alreadyAnswered(ctx)) {
                respond(ctx, Problem.notFound("no such endpoint: " + ctx.method() + " " + shortPath(ctx)
                        + "; the collector serves POST /v1/reports, GET /v1/apps/{app}/catalog, /healthz and /metrics"));
            }
        });
        app.error(405, ctx -> {
            if (!alreadyAnswered(ctx)) {
                respond(ctx, new Problem(405, "method-not-allowed", "Method not allowed",
                        ctx.method() + " is not allowed here", List.of()));
            }
        });
    }

    /**
     * The stack trace of {@code failure} and its causes and suppressed exceptions with their classes
     * and frames but not their messages, which may quote what a sender sent.
     */
    static String withoutMessages(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        appendWithoutMessages(trace, failure, "", Collections.newSetFromMap(new IdentityHashMap<>()));
        trace.append("(messages left out: they may quote the request)");
        return trace.toString();
    }

    private static void appendWithoutMessages(StringBuilder trace, Throwable t, String caption, Set<Throwable> seen) {
        if (!seen.add(t)) {
            trace.append(caption).append("[circular reference: ").append(t.getClass().getName()).append("]\n");
            return;
        }
        trace.append(caption).append(t.getClass().getName()).append('\n');
        for (StackTraceElement frame : t.getStackTrace()) {
            trace.append("\tat ").append(frame).append('\n');
        }
        for (Throwable suppressed : t.getSuppressed()) {
            appendWithoutMessages(trace, suppressed, "Suppressed: ", seen);
        }
        if (t.getCause() != null) {
            appendWithoutMessages(trace, t.getCause(), "Caused by: ", seen);
        }
    }

    private void postReports(Context ctx) throws IOException {
        long retryAfter = limiter.acquire(client(ctx));
        if (retryAfter > 0) {
            metrics.rejected("rate-limited");
            ctx.header("Retry-After", Long.toString(retryAfter));
            respond(ctx, Problem.rateLimited(retryAfter));
            return;
        }
        byte[] body = readBody(ctx);
        StoreOutcome outcome = committing(() -> ingest.ingest(body));
        metrics.stored(outcome.accepted(), outcome.duplicates());
        ctx.status(202).contentType("application/json").result(MAPPER.createObjectNode()
                .put("accepted", outcome.accepted()).put("duplicates", outcome.duplicates()).toString());
    }

    private void getCatalog(Context ctx) {
        String app = ctx.pathParam("app");
        String sha = ctx.queryParam("sha256");
        Optional<String> version = sha != null ? Optional.of(sha) : catalogs.currentSha256(app);
        byte[] body = version.flatMap(v -> catalogs.bytes(app, v)).orElseThrow(() -> new ProblemException(
                Problem.notFound(sha != null ? "no catalog version " + sha + " of app " + app + " here"
                        : "no catalog for app " + app + " here; known apps: " + String.join(", ", catalogs.apps()))));
        ctx.header("ETag", "\"" + version.get() + "\"");
        ctx.header("Candor-Catalog-Sha256", version.get());
        ctx.contentType("application/json").result(body);
    }

    private void putCatalog(Context ctx) throws IOException {
        admin.check(ctx.header("Authorization"));
        String app = ctx.pathParam("app");
        byte[] body = readBody(ctx);
        String source = "PUT /v1/apps/" + app + "/catalog";
        Catalog catalog;
        try {
            catalog = CatalogParser.parse(body, source);
            if (!catalog.app().equals(app)) {
                throw new ProblemException(new Problem(422, "invalid-catalog", "Catalog not valid",
                        "$.app: the catalog is for app \"" + catalog.app() + "\" but was sent to /v1/apps/" + app
                                + "/catalog", List.of(new FieldError("$.app", "must be \"" + app + "\""))));
            }
            boolean known = catalogs.find(app, catalog.sha256()).isPresent();
            catalog = committing(() -> catalogs.install(body, source));
            ObjectNode answer = MAPPER.createObjectNode().put("app", app).put("sha256", catalog.sha256())
                    .put("current", true);
            ArrayNode warnings = answer.putArray("warnings");
            catalog.warnings().forEach(warnings::add);
            ctx.status(known ? 200 : 201).contentType("application/json").result(answer.toString());
        } catch (CatalogException e) {
            List<FieldError> errors = new ArrayList<>();
            e.problems().forEach(p -> errors.add(new FieldError("$", p)));
            throw new ProblemException(new Problem(422, "invalid-catalog", "Catalog not valid",
                    e.problems().size() == 1 ? e.problems().get(0)
                            : e.problems().size() + " problems, first: " + e.problems().get(0), errors));
        }
    }

    /**
     * {@code /healthz}: 200 while the store commits, 503 after a failed commit (see {@link CommitHealth}), and 503
     * for good once the database file is deleted or replaced, whether or not a commit has found it yet.
     */
    private void getHealth(Context ctx) {
        if (store.databaseGone().isPresent()) { // one stat; no failure to forget, as no commit can succeed again
            ctx.header("Retry-After", "30");
            respond(ctx, new Problem(503, "storage-unavailable", "Storage unavailable", "the collector's database file was "
                    + "deleted or replaced while it runs, so nothing can be stored until the collector is restarted with "
                    + "its data folder in place (see the collector's log)", List.of()));
            return;
        }
        Optional<Instant> failing = health.failingSince();
        if (failing.isEmpty()) {
            ctx.contentType("application/json").result(MAPPER.createObjectNode().put("status", "ok").toString());
            return;
        }
        long seconds = Math.max(0, Duration.between(failing.get(), Instant.now()).toSeconds());
        ctx.header("Retry-After", "30");
        respond(ctx, new Problem(503, "storage-unavailable", "Storage unavailable",
                "storage cannot commit: commits have failed for " + seconds + " s and none has succeeded since (see the"
                        + " collector's log for why); this turns to ok at the next commit that succeeds, or "
                        + CommitHealth.FORGET_AFTER.toSeconds() + " s after the last failed one",
                List.of()));
    }

    /** Runs a commit of the store and tells {@link #health} how it went. */
    private <T, E extends Exception> T committing(Commit<T, E> commit) throws E {
        try {
            T result = commit.run();
            health.committed();
            return result;
        } catch (StoreUnavailableException e) {
            health.failed();
            throw e;
        }
    }

    /** A commit to the store that may also refuse its input with {@code E}. */
    private interface Commit<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Whether the request carries an admin token to be checked (see {@link #WRONG_TOKENS_AT_ONCE}): a Bearer
     * credential, or the sign-in form (the router takes {@code /admin/} for {@code /admin}). A credential of
     * another scheme, such as the Basic one an authenticating proxy in front passes on, is no admin token.
     */
    private static boolean sendsAdminToken(Context ctx) {
        return hasBearer(ctx) || isSignInForm(ctx);
    }

    private static boolean hasBearer(Context ctx) {
        String authorization = ctx.header("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** Whether this is the dashboard's sign-in form, sent by a browser: a POST to {@link #SIGN_IN_PATH} without Bearer. */
    private static boolean isSignInForm(Context ctx) {
        if (hasBearer(ctx)) {
            return false;
        }
        String path = ctx.path();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return ctx.method() == HandlerType.POST && SIGN_IN_PATH.equals(path);
    }

    /** The address this request counts against (see {@link ClientAddress}); used in memory only. */
    private String client(Context ctx) {
        return clients.of(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /** Reads the body within its limits, holding one of the client's {@link BodyReadSlots} meanwhile. */
    private byte[] readBody(Context ctx) throws IOException {
        try (BodyReadSlots.Slot slot = bodyReads.enter(client(ctx))) {
            return RequestBody.read(new JettyBodyStream(ctx.req().getInputStream()), ctx.header("Content-Type"),
                    ctx.header("Content-Encoding"), ctx.req().getContentLengthLong());
        }
    }

    /**
     * {@code GET /v1/apps} (admin): every app with a catalog here, sorted, each with its current catalog's SHA-256:
     * {@code {"apps": [{"app": "acme", "catalog_sha256": "…"}]}}. For {@code candor stats --url} without an app.
     */
    private void getApps(Context ctx) {
        admin.check(ctx.header("Authorization"));
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("apps");
        for (String app : catalogs.apps()) {
            list.addObject().put("app", app).put("catalog_sha256", catalogs.currentSha256(app).orElse(null));
        }
        ctx.contentType("application/json").result(answer.toString());
    }

    private void getPeriods(Context ctx) {
        admin.check(ctx.header("Authorization"));
        String app = ctx.pathParam("app");
        List<PeriodCount> periods = store.periods(app);
        if (periods.isEmpty() && catalogs.currentSha256(app).isEmpty()) {
            throw new ProblemException(Problem.notFound("no app " + app + " here; known apps: "
                    + String.join(", ", catalogs.apps())));
        }
        ObjectNode answer = MAPPER.createObjectNode().put("app", app);
        ArrayNode list = answer.putArray("periods");
        periods.forEach(p -> list.addObject().put("period", p.period().toString()).put("reports", p.reports()));
        ctx.contentType("application/json").result(answer.toString());
    }

    private static void respond(Context ctx, Problem problem) {
        ctx.status(problem.status());
        if (problem.status() == 429 && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", "1");
        }
        if (problem.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"candor\"");
        }
        ctx.contentType(Problem.MEDIA_TYPE).result(problem.toJson());
    }

    /** Whether a handler already wrote its own answer (a problem, or a page such as the dashboard's 404). */
    private static boolean alreadyAnswered(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && (type.startsWith(Problem.MEDIA_TYPE) || type.startsWith("text/html"));
    }

    private static String shortPath(Context ctx) {
        String path = ctx.path();
        return path.length() <= 100 ? path : path.substring(0, 100) + "…";
    }

    private static String routeOf(Context ctx) {
        try {
            String route = ctx.endpointHandlerPath();
            // Javalin names no route for a request that matched none (it puts a message there, or the catch-all
            // "*" of the guard on wrong tokens)
            return route == null || !route.startsWith("/") ? "unmatched" : route;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** Stops accepting, lets requests in flight finish (bounded by the stop timeout), then returns. */
    @Override
    public void close() {
        app.stop();
    }
}
