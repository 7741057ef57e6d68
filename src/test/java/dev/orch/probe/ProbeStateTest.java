package dev.orch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Probe;
import org.junit.jupiter.api.Test;

class ProbeStateTest {
    static final ProbeResult OK = ProbeResult.ok("ok");
    static final ProbeResult BAD = ProbeResult.failed("bad");

    @Test
    void readinessNeedsSuccessThresholdPassesInARow() {
        Probe p = Probes.thresholds(2, 3);
        ProbeState s = ProbeState.initialReadiness();
        s = s.next(OK, p);
        assertThat(s.passing()).isFalse();
        s = s.next(BAD, p).next(OK, p);
        assertThat(s.passing()).as("a failure resets the success run").isFalse();
        s = s.next(OK, p);
        assertThat(s.passing()).isTrue();
    }

    @Test
    void failureThresholdFailuresInARowMakeItFail() {
        Probe p = Probes.thresholds(1, 3);
        ProbeState s = ProbeState.initialLiveness();
        s = s.next(BAD, p).next(BAD, p).next(OK, p).next(BAD, p).next(BAD, p);
        assertThat(s.passing()).as("the pass in between reset the count").isTrue();
        s = s.next(BAD, p);
        assertThat(s.passing()).isFalse();
        assertThat(s.failures()).isEqualTo(3);
        assertThat(s.lastMessage()).isEqualTo("bad");
    }

    @Test
    void livenessStartsAliveReadinessStartsUnready() {
        assertThat(ProbeState.initialLiveness().passing()).isTrue();
        assertThat(ProbeState.initialReadiness().passing()).isFalse();
    }
}
