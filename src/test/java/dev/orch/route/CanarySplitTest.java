package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.state.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weighted split and its stickiness, without a network. */
class CanarySplitTest {
    static final CanarySplit TEN = new CanarySplit(Color.BLUE, Color.GREEN, 10, "r7");

    static int toCanary(CanarySplit s, int requests) {
        int n = 0;
        for (int i = 0; i < requests; i++) {
            if (s.choose(List.of()).color() == s.canary()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void clientsWithoutTheCookieAreSplitExactlyByWeightOverEveryHundred() {
        for (int w : new int[] {0, 1, 10, 33, 50, 99, 100}) {
            CanarySplit s = new CanarySplit(Color.BLUE, Color.GREEN, w, "r7");
            assertThat(toCanary(s, 100)).as("weight %d", w).isEqualTo(w);
            assertThat(toCanary(s, 2000)).as("weight %d", w).isEqualTo(20 * w);
        }
    }

    @Test
    void theCanarySlotsAreSpreadEvenlyNotBunched() {
        CanarySplit s = new CanarySplit(Color.BLUE, Color.GREEN, 10, "r7");
        for (int block = 0; block < 10; block++) {
            assertThat(toCanary(s, 10)).as("every 10 requests at 10 %").isEqualTo(1);
        }
    }

    @Test
    void aFreshClientGetsTheCookieOfItsColorBoundToTheCanary() {
        CanarySplit s = new CanarySplit(Color.BLUE, Color.GREEN, 50, "r7");
        CanarySplit.Choice a = s.choose(null);
        CanarySplit.Choice b = s.choose(null);
        assertThat(List.of(a.color(), b.color())).containsExactlyInAnyOrder(Color.BLUE, Color.GREEN);
        CanarySplit.Choice green = a.color() == Color.GREEN ? a : b;
        assertThat(green.setCookie()).isEqualTo("orch_canary=green.r7; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void aClientWithTheCookieKeepsItsColorWhateverTheWheelSays() {
        for (int i = 0; i < 500; i++) {
            assertThat(TEN.choose(List.of("orch_canary=green.r7")).color()).isEqualTo(Color.GREEN);
            assertThat(TEN.choose(List.of("theme=dark; orch_canary=blue.r7; x=1")).color()).isEqualTo(Color.BLUE);
        }
        assertThat(TEN.choose(List.of("orch_canary=green.r7")).setCookie()).as("no new cookie for a sticky client").isNull();
        // the weight grows: the clients of both colors stay where they are
        CanarySplit fifty = TEN.withWeight(50);
        assertThat(fifty.choose(List.of("orch_canary=blue.r7")).color()).isEqualTo(Color.BLUE);
        assertThat(fifty.choose(List.of("orch_canary=green.r7")).color()).isEqualTo(Color.GREEN);
    }

    @Test
    void aCookieOfAnotherCanaryOrOfAColorOutOfTheSplitIsIgnoredAndReplaced() {
        CanarySplit s = new CanarySplit(Color.BLUE, Color.GREEN, 0, "r8");
        CanarySplit.Choice old = s.choose(List.of("orch_canary=green.r7"));
        assertThat(old.color()).isEqualTo(Color.BLUE);
        assertThat(old.setCookie()).startsWith("orch_canary=blue.r8;");
        CanarySplit.Choice zero = s.choose(List.of("orch_canary=green.r8"));
        assertThat(zero.color()).as("green is at 0 %").isEqualTo(Color.BLUE);
        assertThat(zero.setCookie()).startsWith("orch_canary=blue.r8;");
        CanarySplit all = new CanarySplit(Color.BLUE, Color.GREEN, 100, "r8");
        assertThat(all.choose(List.of("orch_canary=blue.r8")).color()).as("blue is at 0 %").isEqualTo(Color.GREEN);
        CanarySplit.Choice replaced = TEN.choose(List.of("orch_canary=garbage"));
        assertThat(replaced.setCookie()).as("a garbage cookie is replaced by one naming the color the client got")
                .isEqualTo("orch_canary=" + replaced.color().name().toLowerCase(java.util.Locale.ROOT) + ".r7; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void badSplitsAreRefused() {
        assertThatThrownBy(() -> new CanarySplit(Color.BLUE, Color.BLUE, 10, "r1")).hasMessageContaining("two different colors");
        assertThatThrownBy(() -> new CanarySplit(Color.BLUE, Color.GREEN, 101, "r1")).hasMessageContaining("0 to 100");
        assertThatThrownBy(() -> new CanarySplit(Color.BLUE, Color.GREEN, 10, "r1;x")).hasMessageContaining("token");
    }
}
