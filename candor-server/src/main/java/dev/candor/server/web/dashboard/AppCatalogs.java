package dev.candor.server.web.dashboard;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.ingest.CatalogRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The apps a collector knows, by their catalogs: the dashboard lists these and nothing else. */
public interface AppCatalogs {

    /** Every app's name, sorted. */
    List<String> apps();

    Optional<Catalog> catalog(String app);

    /** The apps of a running collector, each with its current catalog. */
    static AppCatalogs of(CatalogRegistry registry) {
        return new AppCatalogs() {
            @Override
            public List<String> apps() {
                return registry.apps().stream().sorted().toList();
            }

            @Override
            public Optional<Catalog> catalog(String app) {
                return registry.currentSha256(app).flatMap(sha -> registry.find(app, sha));
            }
        };
    }

    /** A fixed set of catalogs. */
    static AppCatalogs of(Map<String, Catalog> catalogs) {
        TreeMap<String, Catalog> sorted = new TreeMap<>(catalogs);
        return new AppCatalogs() {
            @Override
            public List<String> apps() {
                return List.copyOf(sorted.keySet());
            }

            @Override
            public Optional<Catalog> catalog(String app) {
                return Optional.ofNullable(sorted.get(app));
            }
        };
    }
}
