package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentMissesTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aFloodOfMadeUpVersionsKeepsOnlyTheNewestUpToTheCapacity() {
        RecentMisses misses = new RecentMisses(100, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 100_000; i++) {
            misses.add("acme " + i);
            assertThat(misses.size()).isLessThanOrEqualTo(100);
        }
        assertThat(misses.size()).isEqualTo(100);
        assertThat(misses.contains("acme 99999")).isTrue();
        assertThat(misses.contains("acme 99900")).isTrue();
        assertThat(misses.contains("acme 99899")).as("the oldest past the capacity is forgotten").isFalse();
    }

    @Test
    void aMissIsRememberedForTheTtlOnly() {
        RecentMisses misses = new RecentMisses(100, Duration.ofSeconds(10), now::get);
        misses.add("acme aaaa");
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(misses.contains("acme aaaa")).isTrue();
        now.addAndGet(1);
        assertThat(misses.contains("acme aaaa")).as("looked up again once the ttl is over").isFalse();
        assertThat(misses.size()).isZero();
    }

    @Test
    void expiredMissesLeaveWhenNewOnesArrive() {
        RecentMisses misses = new RecentMisses(100, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 50; i++) {
            misses.add("acme " + i);
        }
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        misses.add("acme new");
        assertThat(misses.size()).isEqualTo(1);
    }

    @Test
    void aVersionInstalledSinceIsForgotten() {
        RecentMisses misses = new RecentMisses(100, Duration.ofSeconds(10), now::get);
        misses.add("acme aaaa");
        misses.forget("acme aaaa");
        assertThat(misses.contains("acme aaaa")).isFalse();
    }
}
