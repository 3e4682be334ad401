package dev.candor.server.ingest;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.ReportStore.StoredCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogs this collector knows: every version ever installed, by app and SHA-256, kept in the
 * store and parsed once into memory. Reports may follow any kept version of their app (installs
 * update slowly); the public catalog URL serves the app's current one. Thread-safe.
 *
 * <p>Several collector nodes may share one database, and a version may be installed through another
 * node: a report naming a version not held here makes {@link #find} look it up in the store (one
 * primary-key query), and a version not found there is remembered as missing for {@link #MISS_TTL}
 * (at most {@link #MISS_CAPACITY} of them), so made-up versions cost at most one query each per
 * interval. Which version is current, and which apps exist, is read again every {@link #REFRESH_EVERY}
 * ({@link #refreshEvery}) and whenever a lookup finds a version that is current: every node serves the
 * current version within that bound of its install.
 */
public final class CatalogRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogRegistry.class);

    /** How often {@code candor serve} reads which catalog version of each app is current. */
    public static final Duration REFRESH_EVERY = Duration.ofSeconds(30);
    /** How long a version looked up in the store and not found there is not looked up again. */
    static final Duration MISS_TTL = Duration.ofSeconds(10);
    /** How many such missing versions are remembered at most (each a key of app, space and SHA-256: at most 129 characters). */
    static final int MISS_CAPACITY = 10_000;
    /** The longest app name a catalog may have (the store's column): a longer one is never looked up. */
    private static final int MAX_APP_LENGTH = 64;

    private final ReportStore store;
    private final Map<String, AppCatalogs> apps = new ConcurrentHashMap<>();
    private final RecentMisses misses;

    CatalogRegistry(ReportStore store, RecentMisses misses) {
        this.store = store;
        this.misses = misses;
    }

    private CatalogRegistry(ReportStore store) {
        this(store, new RecentMisses(MISS_CAPACITY, MISS_TTL, System::nanoTime));
    }

    /** Loads every catalog version kept in the store. */
    public static CatalogRegistry load(ReportStore store) {
        CatalogRegistry registry = new CatalogRegistry(store);
        for (StoredCatalog stored : store.catalogs()) {
            try {
                Catalog catalog = CatalogParser.parseStored(stored.body(), "stored catalog " + stored.app() + " " + stored.sha256());
                registry.remember(catalog, stored.body(), stored.current());
            } catch (CatalogException e) {
                LOG.warn("ignoring stored catalog version {} of {}: {}", stored.sha256(), stored.app(), e.getMessage());
            }
        }
        return registry;
    }

    /**
     * Parses, keeps (in the store) and makes current a catalog version.
     *
     * @param sourceName names the catalog in error messages (a file name, or the request)
     * @throws CatalogException listing every problem of the catalog; nothing is kept then
     */
    public synchronized Catalog install(byte[] bytes, String sourceName) throws CatalogException {
        Catalog catalog = CatalogParser.parse(bytes, sourceName);
        store.saveCatalog(catalog.app(), catalog.sha256(), bytes);
        remember(catalog, bytes, true);
        return catalog;
    }

    private synchronized void remember(Catalog catalog, byte[] bytes, boolean current) {
        misses.forget(catalog.app() + " " + catalog.sha256());
        AppCatalogs versions = apps.computeIfAbsent(catalog.app(), app -> new AppCatalogs());
        versions.bySha.put(catalog.sha256(), new Version(catalog, bytes.clone()));
        if (current || versions.current == null) {
            versions.current = catalog.sha256();
        }
        versions.noisedForms.clear(); // a new version is one more catalog an install may have agreed to
    }

    /**
     * The forms in which an install following {@code catalog} (a version kept here) sends its noised event
     * {@code event}: the event itself and, for each other kept version of the app, the part of it an install
     * records while its user's agreement is to that version ({@link CatalogDiff#agreedPart}: an enum value
     * added since waits, so its cells are not recorded). The SDK sends a noised event dense in one of these
     * forms, every cell once; empty when the event is not noised. Today's SDK always sends the event itself
     * (a waiting value's cell then carries noise alone), so it never needs the version its user agreed to;
     * the agreed parts are still taken from installs of earlier SDK builds, which sent only those cells.
     */
    public List<EventSpec> noisedForms(Catalog catalog, String event) {
        AppCatalogs versions = apps.get(catalog.app());
        if (versions == null) {
            return List.of();
        }
        Map<String, List<EventSpec>> byEvent = versions.noisedForms.computeIfAbsent(catalog.sha256(),
                sha -> noisedForms(catalog, versions.bySha.values()));
        return byEvent.getOrDefault(event, List.of());
    }

    private static Map<String, List<EventSpec>> noisedForms(Catalog catalog, Iterable<Version> versions) {
        Map<String, List<EventSpec>> byEvent = new LinkedHashMap<>();
        for (EventSpec event : catalog.events()) {
            if (event.noised()) {
                byEvent.put(event.name(), new ArrayList<>(List.of(event)));
            }
        }
        for (Version agreed : versions) {
            for (EventSpec part : CatalogDiff.agreedPart(catalog, agreed.catalog).events()) {
                List<EventSpec> forms = byEvent.get(part.name());
                if (forms != null && forms.stream().noneMatch(form -> sameValues(form, part))) {
                    forms.add(part);
                }
            }
        }
        byEvent.replaceAll((name, forms) -> List.copyOf(forms));
        return byEvent;
    }

    private static boolean sameValues(EventSpec a, EventSpec b) {
        for (int i = 0; i < a.fields().size(); i++) {
            if (!a.fields().get(i).values().equals(b.fields().get(i).values())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The catalog version {@code sha256} of {@code app}, if kept. A map lookup when the version is held
     * here; otherwise one store query, at most once per version per {@link #MISS_TTL} while it is missing.
     *
     * @throws dev.candor.server.store.StoreUnavailableException if the store could not be asked
     */
    public Optional<Catalog> find(String app, String sha256) {
        AppCatalogs versions = apps.get(app);
        Version version = versions == null ? null : versions.bySha.get(sha256);
        return version != null ? Optional.of(version.catalog) : lookUp(app, sha256);
    }

    /** Asks the store for a version installed through another node, remembering what it answers. */
    private Optional<Catalog> lookUp(String app, String sha256) {
        if (app == null || sha256 == null || app.isEmpty() || app.length() > MAX_APP_LENGTH
                || !ReportValidator.isSha256Text(sha256)) {
            return Optional.empty();
        }
        String key = app + " " + sha256;
        if (misses.contains(key)) {
            return Optional.empty();
        }
        Optional<StoredCatalog> stored = store.catalog(app, sha256);
        if (stored.isEmpty()) {
            misses.add(key);
            return Optional.empty();
        }
        Catalog catalog;
        try {
            catalog = CatalogParser.parseStored(stored.get().body(), "stored catalog " + app + " " + sha256);
        } catch (CatalogException e) {
            LOG.warn("ignoring stored catalog version {} of {}: {}", sha256, app, e.getMessage());
            misses.add(key);
            return Optional.empty();
        }
        LOG.info("catalog {} {} installed through another node, now known here", app, sha256);
        remember(catalog, stored.get().body(), false);
        if (stored.get().current()) {
            refresh(); // the app's current version moved: every node's answers should say so now
        }
        return Optional.of(catalog);
    }

    /**
     * Reads which version of each app is current from the store (one small query, plus one per version
     * not held here), so that versions installed through other nodes sharing the database are current
     * here too.
     *
     * @throws dev.candor.server.store.StoreUnavailableException if the store could not be read
     */
    public synchronized void refresh() {
        for (Map.Entry<String, String> current : store.currentCatalogs().entrySet()) {
            String app = current.getKey();
            String sha = current.getValue();
            AppCatalogs versions = apps.get(app);
            if (versions == null || !versions.bySha.containsKey(sha)) {
                Optional<StoredCatalog> stored = store.catalog(app, sha);
                if (stored.isEmpty()) {
                    continue; // deleted between the two queries: nothing to learn
                }
                try {
                    remember(CatalogParser.parseStored(stored.get().body(), "stored catalog " + app + " " + sha),
                            stored.get().body(), true);
                } catch (CatalogException e) {
                    LOG.warn("ignoring stored catalog version {} of {}: {}", sha, app, e.getMessage());
                    continue;
                }
            }
            AppCatalogs known = apps.get(app);
            if (!sha.equals(known.current)) {
                LOG.info("catalog {} {} is current (installed through another node)", app, sha);
                known.current = sha;
            }
        }
    }

    /**
     * Starts {@link #refresh refreshing} every {@code interval} on one named daemon thread; a failed refresh
     * is logged and tried again at the next. Closing stops it.
     */
    public AutoCloseable refreshEvery(Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "candor-catalog-refresh");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warn("could not read the current catalogs; trying again in {} s: {}", interval.toSeconds(), e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return executor::shutdownNow;
    }

    /** The exact bytes of a kept catalog version. */
    public Optional<byte[]> bytes(String app, String sha256) {
        AppCatalogs versions = apps.get(app);
        Version version = versions == null ? null : versions.bySha.get(sha256);
        return version == null ? Optional.empty() : Optional.of(version.bytes.clone());
    }

    /** The SHA-256 of the app's current catalog, if the app is known. */
    public Optional<String> currentSha256(String app) {
        AppCatalogs versions = apps.get(app);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.current);
    }

    /** The apps with at least one catalog, sorted. */
    public List<String> apps() {
        List<String> names = new ArrayList<>(apps.keySet());
        names.sort(null);
        return names;
    }

    private static final class AppCatalogs {
        final Map<String, Version> bySha = new ConcurrentHashMap<>();
        volatile String current;
        /** {@link #noisedForms} by catalog SHA-256 and event, made on first use. */
        final Map<String, Map<String, List<EventSpec>>> noisedForms = new ConcurrentHashMap<>();
    }

    private static final class Version {
        final Catalog catalog;
        final byte[] bytes;

        Version(Catalog catalog, byte[] bytes) {
            this.catalog = catalog;
            this.bytes = bytes;
        }
    }
}
