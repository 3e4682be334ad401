package dev.candor.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.internal.catalog.Catalog;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.Reports;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseJobTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    static final Clock TOMORROW = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    static final Clock AFTER_GRACE = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);

    /** 3,000 installs of one day: two thirds on Linux, a third on Windows; convert is common, hash less so. */
    static final List<Report> REPORTS = new ArrayList<>();

    static {
        for (int i = 0; i < 3000; i++) {
            REPORTS.add(Reports.on(DAY).os(i % 3 == 0 ? "windows" : "linux").run(i % 4 == 0 ? "hash" : "convert", true, "1s-5s", 2)
                    .inputSizes(1, 0, 0, 0).build());
        }
    }

    @TempDir Path data;
    SqliteReportStore store;
    RollupStore rollups;
    ReleaseLedger ledger;
    Map<String, Catalog> catalogs;

    @BeforeEach
    void open() {
        store = SqliteReportStore.open(data);
        Reports.saveAcmeCatalog(store);
        rollups = new RollupStore(store.dataSource());
        ledger = new ReleaseLedger(store.dataSource());
        catalogs = CurrentCatalogs.load(store);
        store.storeAll(REPORTS);
        new RollupJob(store, rollups, TOMORROW, new Random(1)).rollUp();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ReleaseJob job(Clock clock) {
        return new ReleaseJob(rollups, ledger, ReleasePolicy.defaults(), clock, new Random(2));
    }

    @Test
    void aPeriodIsReleasedOnlyAfterItsGraceTimeUnlessForced() {
        assertThat(job(TOMORROW).releaseDue(catalogs)).isEmpty();
        List<ReleaseLedger.Entry> made = job(AFTER_GRACE).releaseDue(catalogs);
        assertThat(made).extracting(ReleaseLedger.Entry::breakdown)
                .containsExactly("overall", "app_version", "os", "arch", "runtime", "memory_tier", "install_method", "ci");
        assertThat(made).extracting(ReleaseLedger.Entry::cumulativeEpsilon).containsExactly(0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0);
    }

    @Test
    void aReleaseIsFrozenAndReadingItAgainSpendsNothing() {
        assertThat(job(TOMORROW).release("acme", catalogs.get("acme"), "2026-11-24")).hasSize(8);
        String first = ledger.release("acme", "2026-11-24", "overall").orElseThrow();
        assertThat(job(AFTER_GRACE).release("acme", catalogs.get("acme"), "2026-11-24")).isEmpty();
        assertThat(job(AFTER_GRACE).releaseDue(catalogs)).isEmpty();
        assertThat(ledger.release("acme", "2026-11-24", "overall")).contains(first);
        assertThat(ledger.entries("acme")).hasSize(8);
        assertThat(ledger.ledgerJson("acme").get("cumulative_epsilon").asDouble()).isEqualTo(4.0);
    }

    @Test
    void theReleaseHoldsTheContractAndSaysWhatIsNotEstimated() throws Exception {
        job(TOMORROW).release("acme", catalogs.get("acme"), "2026-11-24");
        JsonNode os = new ObjectMapper().readTree(ledger.release("acme", "2026-11-24", "os").orElseThrow());
        assertThat(os.get("by").asText()).isEqualTo("os");
        assertThat(os.get("m").asInt()).isEqualTo(32);
        assertThat(os.get("groups")).extracting(g -> g.get("key").get("os").asText()).containsExactly("linux", "macos", "windows", "other");
        JsonNode linux = os.get("groups").get(0);
        assertThat(linux.get("installs").get("suppressed").asBoolean()).isFalse();
        assertThat(linux.get("installs").get("estimate").asLong()).isBetween(2000L - 400, 2000L + 400);
        JsonNode macos = os.get("groups").get(1);
        assertThat(macos.get("installs").get("suppressed").asBoolean()).isTrue();
        // Noised events mark nothing and are not in the items; the notes say why.
        assertThat(linux.get("items")).noneMatch(i -> i.get("event").asText().equals("input_size"));
        assertThat(os.get("notes").get(0).asText()).startsWith("input_size is noised on each install");
        // app_version 2.0 is open but held by 3,000 reports: above the threshold.
        JsonNode versions = new ObjectMapper().readTree(ledger.release("acme", "2026-11-24", "app_version").orElseThrow());
        assertThat(versions.get("groups")).extracting(g -> g.get("key").get("app_version").asText()).containsExactly("2.0");
    }

    @Test
    void aPeriodThatIsNotOverOrWasNeverRolledUpIsRefusedWithTheReason() {
        Catalog acme = catalogs.get("acme");
        assertThatThrownBy(() -> job(TOMORROW).release("acme", acme, "2026-11-25"))
                .hasMessageContaining("period 2026-11-25 of acme is not closed yet");
        assertThatThrownBy(() -> job(TOMORROW).release("acme", acme, "2026-11-20"))
                .hasMessageContaining("no rollup of acme 2026-11-20");
        assertThatThrownBy(() -> job(TOMORROW).release("acme", acme, "24.11.2026"))
                .hasMessageContaining("\"24.11.2026\" is not a period of acme");
    }
}
