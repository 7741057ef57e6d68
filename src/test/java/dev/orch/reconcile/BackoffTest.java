package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCapAndResetsOnSuccess() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.5); // 0.5 = no jitter
        assertThat(b.nextDelay("web")).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.nextDelay("web")).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.nextDelay("web")).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 50; i++) {
            b.nextDelay("web");
        }
        assertThat(b.nextDelay("web")).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.nextDelay("api")).as("per app").isEqualTo(Duration.ofSeconds(1));
        b.forget("web");
        assertThat(b.nextDelay("web")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5), () -> 0.0).nextDelay("a")).isEqualTo(Duration.ofSeconds(8));
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5), () -> 1.0).nextDelay("a")).isEqualTo(Duration.ofSeconds(12));
    }
}
