package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.store.ReportStore;
import dev.candor.server.store.SqliteReportStore;
import dev.candor.server.testing.AcmeReports;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registries on one store stand for two collector nodes on one database: what node A installs,
 * node B finds on the first report that names it, and makes current at its next refresh.
 */
class CatalogRegistryTest {
    private static final String MADE_UP = "ab".repeat(32);

    @TempDir Path data;
    SqliteReportStore store;
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicLong now = new AtomicLong();
    CatalogRegistry nodeA;
    CatalogRegistry nodeB;

    @BeforeEach
    void start() throws Exception {
        store = SqliteReportStore.open(data);
        store.saveCatalog("acme", AcmeReports.catalogSha256(), AcmeReports.catalogBytes());
        nodeA = CatalogRegistry.load(store);
        nodeB = new CatalogRegistry(counting(store), new RecentMisses(100, Duration.ofSeconds(10), now::get));
        nodeB.refresh(); // as at start: B holds acme's first version
        lookups.set(0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The store, counting the single-version lookups asked of it. */
    private ReportStore counting(ReportStore real) {
        return (ReportStore) Proxy.newProxyInstance(ReportStore.class.getClassLoader(), new Class<?>[] {ReportStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("catalog")) {
                        lookups.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static byte[] version(int n) {
        return (new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8) + "\n".repeat(n)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aVersionInstalledThroughAnotherNodeIsFoundAndMadeCurrentOnTheFirstReportNamingIt() throws Exception {
        String v2 = nodeA.install(version(1), "v2").sha256();
        assertThat(nodeB.currentSha256("acme")).hasValue(AcmeReports.catalogSha256());

        assertThat(nodeB.find("acme", v2)).isPresent();
        assertThat(nodeB.currentSha256("acme")).hasValue(v2);
        assertThat(nodeB.bytes("acme", v2)).hasValue(version(1));
        int asked = lookups.get();
        assertThat(nodeB.find("acme", v2)).isPresent();
        assertThat(lookups.get()).as("a version once found is held").isEqualTo(asked);
    }

    @Test
    void aNewAppInstalledThroughAnotherNodeIsFound() throws Exception {
        byte[] other = new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                .replace("\"app\": \"acme\"", "\"app\": \"beta\"").getBytes(StandardCharsets.UTF_8);
        String sha = nodeA.install(other, "beta").sha256();
        assertThat(nodeB.apps()).containsExactly("acme");
        assertThat(nodeB.find("beta", sha)).isPresent();
        assertThat(nodeB.apps()).containsExactly("acme", "beta");
        assertThat(nodeB.currentSha256("beta")).hasValue(sha);
    }

    @Test
    void aMadeUpVersionCostsOneLookupPerTtl() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(nodeB.find("acme", MADE_UP)).isEmpty();
        }
        assertThat(lookups.get()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(nodeB.find("acme", MADE_UP)).isEmpty();
        assertThat(lookups.get()).isEqualTo(2);
        assertThat(nodeB.find("acme", "not a sha")).isEmpty();
        assertThat(nodeB.find("x".repeat(65), MADE_UP)).isEmpty();
        assertThat(lookups.get()).as("what cannot be a kept version is never looked up").isEqualTo(2);
    }

    @Test
    void aRefreshMakesCurrentWhatAnotherNodeMadeCurrent() throws Exception {
        String v2 = nodeA.install(version(1), "v2").sha256();
        assertThat(nodeB.find("acme", v2)).isPresent();
        nodeA.install(AcmeReports.catalogBytes(), "v1 again");
        String v3 = nodeA.install(version(2), "v3").sha256();
        assertThat(nodeB.currentSha256("acme")).hasValue(v2);

        nodeB.refresh();
        assertThat(nodeB.currentSha256("acme")).hasValue(v3);
        nodeA.install(AcmeReports.catalogBytes(), "v1 again");
        nodeB.refresh();
        assertThat(nodeB.currentSha256("acme")).as("an older version made current again").hasValue(AcmeReports.catalogSha256());
    }
}
