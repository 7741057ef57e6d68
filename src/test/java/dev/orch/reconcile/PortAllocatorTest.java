package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    @Test
    void keepsAColorsPortsAndPicksTheLowestFreeOnesOtherwise() {
        PortAllocator a = new PortAllocator(20000, 20010, p -> p != 20001);
        assertThat(a.allocate(List.of(20005), 1, Set.of(20005))).containsExactly(20005);
        assertThat(a.allocate(List.of(), 2, Set.of(20000, 20005))).as("skips taken and busy ports").containsExactly(20002, 20003);
        assertThat(a.allocate(List.of(20007), 3, Set.of(20007, 20002))).containsExactly(20007, 20000, 20003);
        assertThat(a.allocate(List.of(20007, 20008, 20009), 1, Set.of())).containsExactly(20007);
    }

    @Test
    void aKeptPortThatAnotherProcessTookIsReplaced() {
        PortAllocator a = new PortAllocator(20000, 20010, p -> p != 20005);
        assertThat(a.allocate(List.of(20005, 20006), 2, Set.of(20005, 20006))).containsExactly(20006, 20000);
    }

    @Test
    void aFullRangeIsAClearError() {
        PortAllocator a = new PortAllocator(20000, 20001, p -> true);
        assertThatThrownBy(() -> a.allocate(List.of(), 3, Set.of())).hasMessageContaining("no free port left in the range 20000-20001");
    }

    @Test
    void aPortInUseOnTheHostIsNotBindable() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            assertThat(PortAllocator.bindable(s.getLocalPort())).isFalse();
        }
    }
}
