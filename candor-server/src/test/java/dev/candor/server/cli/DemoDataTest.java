package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.SqliteReportStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --demo} without the acme catalog says how to give it; the full demo runs in DashboardBrowserIT. */
class DemoDataTest {

    @Test
    void withoutTheAcmeCatalogItSaysWhichFileToGive(@TempDir Path data) {
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            RollupStore rollups = new RollupStore(store.dataSource());
            assertThatThrownBy(() -> DemoData.fill(URI.create("http://127.0.0.1:9/"), store, CatalogRegistry.load(store),
                    new RollupJob(store, rollups, Clock.systemUTC()),
                    new ReleaseJob(rollups, new ReleaseLedger(store.dataSource()), ReleasePolicy.defaults(), Clock.systemUTC()),
                    10, 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--catalog examples/acme/src/main/resources/META-INF/candor/catalog.json");
        }
    }
}
