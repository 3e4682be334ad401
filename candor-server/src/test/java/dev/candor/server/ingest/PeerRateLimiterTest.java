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

    @Test
    void aBurstRefillsAtItsOwnRate() {
        PeerRateLimiter limiter = new PeerRateLimiter(3, 1.0, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("127.0.0.9")).isZero();
        }
        assertThat(limiter.acquire("127.0.0.9")).isEqualTo(60);
        now.addAndGet(59_000);
        assertThat(limiter.acquire("127.0.0.9")).isEqualTo(1);
        now.addAndGet(1_000);
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isEqualTo(60);
        assertThat(limiter.acquire("127.0.0.10")).isZero();
    }

    @Test
    void aFullTableKeepsEveryTrackedSendersLimitAndMakesRoomFromQuietSenders() {
        PeerRateLimiter limiter = new PeerRateLimiter(1, 1.0, now::get, 3);
        for (String busy : new String[] {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
            assertThat(limiter.acquire(busy)).isZero();
        }
        // A flood of new senders: they share one bucket, and no tracked sender's bucket is refilled by it.
        assertThat(limiter.acquire("10.1.0.0")).isZero();
        for (int i = 1; i < 50; i++) {
            assertThat(limiter.acquire("10.1.0." + i)).isPositive();
            now.addAndGet(100);
        }
        assertThat(limiter.tracked()).isEqualTo(3);
        for (String busy : new String[] {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
            assertThat(limiter.acquire(busy)).as(busy).isPositive();
        }
        // A minute on, the busy senders' buckets have refilled: they are as if new, and give their room up.
        now.addAndGet(60_000);
        assertThat(limiter.acquire("10.2.0.1")).isZero();
        assertThat(limiter.acquire("10.2.0.1")).isPositive();
        assertThat(limiter.tracked()).isEqualTo(1);
    }

    @Test
    void aGuardThatTakesFirstAndGivesBackLetsRightRequestsGoOnForever() {
        PeerRateLimiter limiter = new PeerRateLimiter(2, 1.0, now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.acquire("127.0.0.9")).isZero();
            limiter.giveBack("127.0.0.9");
        }
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isPositive();
        limiter.giveBack("127.0.0.9");
        limiter.giveBack("127.0.0.9");
        limiter.giveBack("127.0.0.9");
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).isZero();
        assertThat(limiter.acquire("127.0.0.9")).as("never beyond the burst").isPositive();
    }

    /** From review-17: with the table full, a new sender once had no limit at all. */
    @Test
    void aNewSenderFindingTheTableFullIsNotGivenUnlimitedWrongTokens() {
        PeerRateLimiter wrongTokens = new PeerRateLimiter(10, 1.0, now::get, 3);
        for (String filler : new String[] {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
            assertThat(wrongTokens.acquire(filler)).isZero();
        }
        int guesses = 0;
        for (int i = 0; i < 1000; i++) {
            if (wrongTokens.acquire("198.51.100.7") == 0) {
                guesses++;
            }
            now.addAndGet(1);
        }
        assertThat(guesses).isLessThanOrEqualTo(10);
    }
}
