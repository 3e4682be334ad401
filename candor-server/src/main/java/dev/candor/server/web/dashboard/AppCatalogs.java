package dev.candor.server.web.dashboard;

import dev.candor.internal.catalog.Catalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The apps a collector knows, by their catalogs: the dashboard lists these and nothing else. */
public interface AppCatalogs {

    /** Every app's name, sorted. */
    List<String> apps();

    Optional<Catalog> catalog(String app);

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
