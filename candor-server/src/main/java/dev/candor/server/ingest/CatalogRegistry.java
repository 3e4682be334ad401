package dev.candor.server.ingest;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.ReportStore.StoredCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogs this collector knows: every version ever installed, by app and SHA-256, kept in the
 * store and parsed once into memory. Reports may follow any kept version of their app (installs
 * update slowly); the public catalog URL serves the app's current one. Thread-safe.
 */
public final class CatalogRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogRegistry.class);

    private final ReportStore store;
    private final Map<String, AppCatalogs> apps = new ConcurrentHashMap<>();

    private CatalogRegistry(ReportStore store) {
        this.store = store;
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

    private void remember(Catalog catalog, byte[] bytes, boolean current) {
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

    /** The catalog version {@code sha256} of {@code app}, if kept. */
    public Optional<Catalog> find(String app, String sha256) {
        AppCatalogs versions = apps.get(app);
        Version version = versions == null ? null : versions.bySha.get(sha256);
        return version == null ? Optional.empty() : Optional.of(version.catalog);
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
