package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When {@code /healthz} says the store cannot commit, and when it stops saying so. */
class CommitHealthTest {
    /** Now, as the test moves it by hand. */
    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final CommitHealth health = new CommitHealth(() -> now, CommitHealth.FORGET_AFTER);

    private void advance(Duration d) {
        now = now.plus(d);
    }

    @Test
    void healthyUntilACommitFailsAndAgainOnceOneSucceeds() {
        assertThat(health.failingSince()).isEmpty();
        Instant first = now;
        health.failed();
        advance(Duration.ofSeconds(3));
        health.failed();
        assertThat(health.failingSince()).as("since the first failure").contains(first);
        health.committed();
        assertThat(health.failingSince()).isEmpty();
    }

    @Test
    void aFailureNoCommitFollowsIsForgottenAfterThirtySecondsSoANodeOutOfRotationComesBack() {
        health.failed();
        advance(CommitHealth.FORGET_AFTER.minusSeconds(1));
        assertThat(health.failingSince()).isPresent();
        advance(Duration.ofSeconds(1));
        assertThat(health.failingSince()).isEmpty();
    }

    @Test
    void eachNewFailureStartsTheThirtySecondsAgain() {
        health.failed();
        advance(Duration.ofSeconds(20));
        health.failed();
        advance(Duration.ofSeconds(20));
        assertThat(health.failingSince()).as("20 s after the latest failure").isPresent();
        advance(Duration.ofSeconds(10));
        assertThat(health.failingSince()).isEmpty();
        health.failed();
        assertThat(health.failingSince()).as("failing again, from now").contains(now);
    }
}
