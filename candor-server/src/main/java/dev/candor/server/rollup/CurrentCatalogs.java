package dev.candor.server.rollup;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.server.store.ReportStore;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each app's current catalog, read from the store: the catalog that decides which items rollups
 * and releases list, the contribution bound m, the period length and the retention.
 */
public final class CurrentCatalogs {

    private CurrentCatalogs() {
    }

    /** App name to its current catalog, apps in name order. */
    public static Map<String, Catalog> load(ReportStore store) {
        Map<String, Catalog> catalogs = new TreeMap<>();
        for (ReportStore.StoredCatalog stored : store.catalogs()) {
            if (!stored.current()) {
                continue;
            }
            try {
                catalogs.put(stored.app(), CatalogParser.parseStored(stored.body(), "catalog of " + stored.app() + " (" + stored.sha256() + ")"));
            } catch (CatalogException e) {
                throw new IllegalStateException("the stored " + e.getMessage(), e);
            }
        }
        return catalogs;
    }
}
