package dev.candor.server.cli;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.server.FailureReason;
import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.ingest.ReportIngest;
import dev.candor.server.ingest.ReportValidator;
import dev.candor.server.release.CollectorJobs;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.StoreUnavailableException;
import dev.candor.server.web.ClientAddress;
import dev.candor.server.web.CollectorMetrics;
import dev.candor.server.web.CollectorServer;
import dev.candor.server.web.ReleaseRoutes;
import dev.candor.server.web.dashboard.DashboardRoutes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code candor serve}: runs the collector until SIGTERM or Ctrl-C, then stops accepting
 * connections, lets requests in flight finish their commits, closes the store and exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the collector: receive reports, keep them durably, serve the catalogs.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = "./candor-data", paramLabel = "DIR", description = "Folder for the embedded database (default: candor-data in the current folder).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "A PostgreSQL database instead of --data, shared by any number of collector nodes: "
                    + "jdbc:postgresql://HOST:PORT/DATABASE (user and password from the URL or env CANDOR_DB_USER, CANDOR_DB_PASSWORD).")
    String db;

    @Option(names = "--catalog", paramLabel = "FILE", description = "A catalog to install at start (repeatable); it becomes its app's current catalog.")
    List<Path> catalogFiles = new ArrayList<>();

    /** Admin tokens shorter than this get a warning at start (16 random hex digits are 64 bits). */
    static final int SHORT_ADMIN_TOKEN = 16;

    @Option(names = "--admin-token", defaultValue = "${env:CANDOR_ADMIN_TOKEN}", paramLabel = "TOKEN",
            description = "Token for the admin endpoints (default: env CANDOR_ADMIN_TOKEN); without one they are off.")
    String adminToken;

    @Option(names = "--rate-limit", defaultValue = "600", paramLabel = "PER_MINUTE",
            description = "Report requests allowed per sender per minute; 0 switches the limit off (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS",
            description = "A reverse proxy in front of the collector, as an IP address or CIDR block written as its "
                    + "network, such as 10.0.0.0/8 (repeatable; ::ffff:10.0.0.0/104 is 10.0.0.0/8): a request from it counts against the sender it names in X-Forwarded-For, for --rate-limit, "
                    + "the limit on wrong admin tokens and the bodies read at once per sender. Without it, every "
                    + "request counts against its connection's address, and behind a proxy all senders would share "
                    + "one limit.")
    List<String> trustedProxies = new ArrayList<>();

    @picocli.CommandLine.Mixin
    ReleaseOptions releaseOptions;

    @Option(names = "--jobs-every", defaultValue = "10m", paramLabel = "DURATION", converter = ReleaseOptions.GraceConverter.class,
            description = "How often rollups, retention and due releases run in the background (default: ${DEFAULT-VALUE}).")
    Duration jobsEvery;

    @Option(names = "--lease-ttl", defaultValue = "60s", hidden = true, converter = DurationConverter.class,
            description = "With --db: how long a node's lease on background work lives unless renewed, i.e. how soon "
                    + "another node takes over the work of a node that died.")
    Duration leaseTtl;

    @Option(names = "--demo", description = "Fill the collector with a simulated acme population and release it at once, "
            + "so the dashboard shows living numbers (needs the acme catalog). Unless --data or --db is given, its data is "
            + "temporary: a fresh folder, deleted when the collector stops.")
    boolean demo;

    @Option(names = "--demo-installs", defaultValue = "" + DemoData.INSTALLS, hidden = true, description = "Installs --demo simulates.")
    int demoInstalls;

    @Option(names = "--demo-days", defaultValue = "" + DemoData.DAYS, hidden = true, description = "Days --demo simulates.")
    int demoDays;

    @Option(names = "--store-timeout", defaultValue = "5s", hidden = true, converter = DurationConverter.class,
            description = "How long a commit waits for a locked database before answering 503.")
    Duration storeTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (db != null && spec.commandLine().getParseResult().hasMatchedOption("--data")) {
            // warned, not refused: DESIGN §8 lets serve take both, and a node's command line may keep its --data
            err.println("warning: --data " + data + " is not used: with --db the collector keeps everything in "
                    + "PostgreSQL, and nothing is read from or written to the folder");
        }
        if (rateLimit < 0) {
            err.println("candor serve: --rate-limit must be 0 (off) or a number of requests per minute, not " + rateLimit);
            return 2;
        }
        if (port < 0 || port > 65_535) {
            err.println("candor serve: --port must be from 1 to 65535 (or 0 for any free port), not " + port);
            return 2;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            err.println("candor serve: --host \"" + host + "\" is neither an IP address nor a host name that resolves; "
                    + "give an address of this machine, such as 127.0.0.1, or 0.0.0.0 for every interface");
            return 2;
        }
        ClientAddress clients;
        try {
            clients = ClientAddress.trusting(trustedProxies);
        } catch (IllegalArgumentException e) {
            err.println("candor serve: " + e.getMessage());
            return 2;
        }
        for (List<String> everyone : clients.trustingEveryone()) {
            err.println("warning: --trusted-proxy " + String.join(", --trusted-proxy ", everyone)
                    + (everyone.size() == 1 ? " trusts" : " together trust") + " every address: any sender can then "
                    + "name, in X-Forwarded-For, the address it counts as, and escape --rate-limit and the limit on "
                    + "wrong admin tokens; name your proxies' own addresses instead");
        }
        if (adminToken != null && !adminToken.isEmpty()) {
            String problem = adminTokenProblem(adminToken);
            if (problem != null) {
                err.println("candor serve: the admin token (--admin-token or CANDOR_ADMIN_TOKEN) " + problem);
                return 2;
            }
            if (adminToken.length() < SHORT_ADMIN_TOKEN) {
                err.println("warning: the admin token is only " + adminToken.length() + " characters, and whoever guesses it "
                        + "sees every exact number; use a long random one, such as the output of `openssl rand -hex 32`");
            }
        }
        List<byte[]> catalogBytes = new ArrayList<>();
        for (Path file : catalogFiles) {
            try {
                catalogBytes.add(Files.readAllBytes(file));
            } catch (IOException e) {
                err.println("candor serve: cannot read catalog " + file + ": " + FailureReason.of(e, file));
                return 1;
            }
        }
        ReleasePolicy policy;
        try {
            policy = releaseOptions.policy();
            if (jobsEvery.isZero() || jobsEvery.isNegative()) {
                throw new IllegalArgumentException("--jobs-every must be a positive duration, such as 10m");
            }
        } catch (IllegalArgumentException e) {
            err.println("candor serve: " + e.getMessage());
            return 2;
        }
        String cannotListen = cannotListen(address, port);
        if (cannotListen != null) {
            err.println("candor serve: " + cannotListen);
            return 1;
        }
        Path demoFolder = null;
        if (demo && db == null && !spec.commandLine().getParseResult().hasMatchedOption("--data")) {
            try {
                data = Files.createTempDirectory("candor-demo-");
                demoFolder = data;
            } catch (IOException e) {
                err.println("candor serve: --demo cannot create a temporary data folder: " + FailureReason.of(e));
                return 1;
            }
        }
        CollectorMetrics metrics = new CollectorMetrics();
        ReportStore store;
        try {
            store = ReportStore.openForCollector(data, db, System.getenv(), storeTimeout, leaseTtl, metrics.commitObserver());
        } catch (IllegalArgumentException e) {
            err.println("candor serve: " + e.getMessage());
            deleteFolder(demoFolder);
            return 2;
        } catch (StoreUnavailableException e) {
            err.println("candor serve: " + e.getMessage());
            deleteFolder(demoFolder);
            return 1;
        }
        CollectorServer server;
        CatalogRegistry catalogs;
        CollectorJobs jobs;
        AutoCloseable catalogRefresh;
        RollupStore rollups;
        ReleaseLedger ledger;
        try {
            catalogs = CatalogRegistry.load(store);
            for (int i = 0; i < catalogFiles.size(); i++) {
                Catalog catalog = catalogs.install(catalogBytes.get(i), catalogFiles.get(i).toString());
                out.println("catalog " + catalog.app() + " " + catalog.sha256() + " from " + catalogFiles.get(i));
                catalog.warnings().forEach(w -> err.println("warning: " + w));
            }
            if (demo) {
                try {
                    DemoData.requireAcme(catalogs);
                } catch (IllegalStateException e) {
                    store.close();
                    deleteFolder(demoFolder);
                    err.println("candor serve: " + e.getMessage());
                    return 2;
                }
            }
            ReportIngest ingest = new ReportIngest(new ReportValidator(catalogs, Clock.systemUTC()), store);
            rollups = new RollupStore(store.dataSource());
            ledger = new ReleaseLedger(store.dataSource());
            // outside the try below: a database that cannot give the sign-in secret is a storage failure, not the web server's
            DashboardRoutes dashboard = DashboardRoutes.forCollector(store.dataSource(), catalogs, policy, adminToken);
            try {
                server = CollectorServer.start(
                        new CollectorServer.Settings(host, port, adminToken, rateLimit, 20_000, clients), ingest, store, catalogs, metrics,
                        new ReleaseRoutes(rollups, ledger),
                        dashboard::addTo);
            } catch (Exception e) { // Javalin rethrows Jetty's checked exceptions undeclared, and loses the bind failure
                store.close();
                deleteFolder(demoFolder);
                String why = cannotListen(address, port);
                err.println("candor serve: " + (why != null ? why : "cannot start the web server: " + FailureReason.of(e)));
                return 1;
            }
            // versions installed through other nodes sharing the database become current here within this interval
            catalogRefresh = catalogs.refreshEvery(CatalogRegistry.REFRESH_EVERY);
            jobs = CollectorJobs.start(store, new RollupJob(store, rollups, Clock.systemUTC()),
                    new ReleaseJob(rollups, ledger, policy, Clock.systemUTC()), jobsEvery);
        } catch (CatalogException e) {
            store.close();
            deleteFolder(demoFolder);
            // the message of a CatalogException already lists its problems: print each once
            if (e.problems().size() == 1) {
                err.println("candor serve: " + e.problems().get(0));
            } else {
                err.println("candor serve: " + e.problems().size() + " problems in the catalog:");
                e.problems().forEach(p -> err.println("  " + p));
            }
            return 1;
        } catch (RuntimeException e) {
            store.close();
            deleteFolder(demoFolder);
            err.println("candor serve: cannot start: " + FailureReason.of(e));
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Path temporary = demoFolder;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            jobs.close();
            try {
                catalogRefresh.close();
            } catch (Exception ignored) {
                // stopping a scheduled executor throws nothing
            }
            java.util.Optional<String> gone = store.databaseGone(); // before close, which drops the file it held open
            store.close();
            if (temporary != null) {
                deleteFolder(temporary);
                out.println("Candor collector stopped; the demo's temporary data in " + temporary + " is deleted");
            } else if (gone.isPresent()) {
                out.println("Candor collector stopped; " + gone.get() + ": the reports it acknowledged before that were "
                        + "in the file it had open, which is not " + store.location() + " now, and is lost unless it was "
                        + "moved rather than deleted; those sent after it were refused (503) and stay with their senders");
            } else {
                out.println("Candor collector stopped; every acknowledged report is in " + store.location());
            }
            out.flush();
            stopped.countDown();
        }, "candor-shutdown"));
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        out.println("Candor collector listening on " + server.uri(shownHost)
                + (host.equals("0.0.0.0") || host.equals("::") ? " (every interface)" : ""));
        out.println("data: " + store.location());
        out.println("apps: " + (catalogs.apps().isEmpty() ? "none yet (install a catalog with --catalog FILE)"
                : String.join(", ", catalogs.apps())) + "; admin endpoints " + (adminToken == null || adminToken.isEmpty() ? "off" : "on"));
        out.flush();
        if (demo) {
            out.println("demo: simulating " + demoInstalls + " acme installs over " + demoDays + " days…");
            out.flush();
            try {
                URI self = server.uri(host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host);
                out.println(DemoData.fill(self, store, catalogs, new RollupJob(store, rollups, Clock.systemUTC()),
                        new ReleaseJob(rollups, ledger, policy, Clock.systemUTC()), demoInstalls, demoDays));
            } catch (IOException | RuntimeException e) {
                err.println("candor serve: --demo: " + e.getMessage());
            }
            out.flush();
            err.flush();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Why {@code token} cannot be the admin token, or null when it can. White space at either end,
     * Unicode's included (such as a no-break space pasted from a page), is refused rather than quietly
     * dropped: HTTP drops spaces and tabs around a header value, and a token that works in one place and
     * not in another is worse than a clear refusal. White space inside a token is kept and works. A
     * control character (a line break, a tab, NUL, one of Unicode's C1 controls) is refused wherever it
     * is: most cannot be sent in a header, and none can be typed into the sign-in form. Other non-ASCII
     * characters are fine (see {@code web.Utf8Authorization}).
     */
    static String adminTokenProblem(String token) {
        if (isWhiteSpace(token.codePointAt(0)) || isWhiteSpace(token.codePointBefore(token.length()))) {
            return "begins or ends with white space, which no Authorization header can carry; remove it";
        }
        for (int i = 0; i < token.length(); ) {
            int c = token.codePointAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                return "holds the control character U+" + String.format("%04X", c) + " (character "
                        + (token.codePointCount(0, i) + 1) + "); use printable characters only: an HTTP header cannot "
                        + "carry most control characters, and nobody can type one into the sign-in form";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /** Java's white space and Unicode's space separators (no-break spaces among them, which Java's leaves out). */
    private static boolean isWhiteSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Deletes the demo's temporary folder and everything in it (nothing when {@code folder} is null). */
    static void deleteFolder(Path folder) {
        if (folder == null) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("candor serve: cannot delete the demo's temporary folder " + folder + ": " + FailureReason.of(e));
        }
    }

    /**
     * Whether the collector can listen on {@code address:port}: null when it can, else a line saying
     * why not. Binds and closes a socket the way Jetty will, so the common failures (the port is
     * taken, the address is not this machine's) are told before anything is created.
     */
    static String cannotListen(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            return null;
        } catch (IOException | RuntimeException e) {
            String shown = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            return "cannot listen on " + shown + ":" + port + ": " + FailureReason.of(e)
                    + (port != 0 ? " (choose another with --port or --host)" : "");
        }
    }

    /** Reads {@code 500ms}, {@code 5s} or an ISO-8601 duration. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.parse(value);
        }
    }
}
