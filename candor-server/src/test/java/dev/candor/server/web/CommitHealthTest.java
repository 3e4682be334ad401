package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** When {@code /healthz} says the store cannot commit, and when it stops saying so. */
class CommitHealthTest {
    /** A clock the test moves by hand. */
    private static final class Hand extends Clock {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Hand clock = new Hand();
    private final CommitHealth health = new CommitHealth(clock);

    @Test
    void healthyUntilACommitFailsAndAgainOnceOneSucceeds() {
        assertThat(health.failingSince()).isEmpty();
        Instant first = clock.now;
        health.failed();
        clock.advance(Duration.ofSeconds(3));
        health.failed();
        assertThat(health.failingSince()).as("since the first failure").contains(first);
        health.committed();
        assertThat(health.failingSince()).isEmpty();
    }

    @Test
    void aFailureNoCommitFollowsIsForgottenAfterThirtySecondsSoANodeOutOfRotationComesBack() {
        health.failed();
        clock.advance(CommitHealth.FORGET_AFTER.minusSeconds(1));
        assertThat(health.failingSince()).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.failingSince()).isEmpty();
    }

    @Test
    void eachNewFailureStartsTheThirtySecondsAgain() {
        health.failed();
        clock.advance(Duration.ofSeconds(20));
        health.failed();
        clock.advance(Duration.ofSeconds(20));
        assertThat(health.failingSince()).as("20 s after the latest failure").isPresent();
        clock.advance(Duration.ofSeconds(10));
        assertThat(health.failingSince()).isEmpty();
        health.failed();
        assertThat(health.failingSince()).as("failing again, from now").contains(clock.now);
    }
}
