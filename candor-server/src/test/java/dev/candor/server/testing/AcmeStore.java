package dev.candor.server.testing;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.store.SqliteReportStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real SQLite store in a fresh temporary folder with the acme example's catalog installed: what the
 * ingest property tests validate and store against. {@link #close()} closes the store and deletes the folder.
 */
public final class AcmeStore implements AutoCloseable {
    public final Path data;
    public final SqliteReportStore store;
    public final CatalogRegistry catalogs;
    public final Catalog acme;

    private AcmeStore(Path data, SqliteReportStore store, CatalogRegistry catalogs, Catalog acme) {
        this.data = data;
        this.store = store;
        this.catalogs = catalogs;
        this.acme = acme;
    }

    /** Opens the store in a new temporary folder named after {@code prefix} and installs acme's catalog. */
    public static AcmeStore open(String prefix) throws Exception {
        Path data = Files.createTempDirectory(prefix);
        SqliteReportStore store = SqliteReportStore.open(data);
        CatalogRegistry catalogs = CatalogRegistry.load(store);
        Catalog acme = catalogs.install(AcmeReports.catalogBytes(), "acme");
        return new AcmeStore(data, store, catalogs, acme);
    }

    @Override
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
