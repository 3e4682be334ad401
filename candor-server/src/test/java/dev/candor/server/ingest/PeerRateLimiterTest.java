package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerRateLimiterTest {
    final AtomicLong now = new AtomicLong(1_000L * 3_600_000L + 5_000);

    @Test
    void eachSenderHasItsOwnBucketRefilledOverAMinute() {
        PeerRateLimiter limiter = new PeerRateLimiter(2, now::get);
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isEqualTo(30);
        assertThat(limiter.acquire("127.0.0.10")).isZero();
        now.addAndGet(30_000);
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isEqualTo(30);
    }

    @Test
    void aNewHourBringsANewSaltAndForgetsEverySender() {
        PeerRateLimiter limiter = new PeerRateLimiter(1, now::get);
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isPositive();
        now.set((now.get() / 3_600_000L + 1) * 3_600_000L);
        assertThat(limiter.acquire("127.0.0.9")).isZero();
    }

    @Test
    void zeroSwitchesTheLimitOff() {
        PeerRateLimiter limiter = new PeerRateLimiter(0, now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("127.0.0.9")).isZero();
        }
    }
}
