package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;

/**
 * What the route counted for one color since it opened: HTTP requests, those answered 5xx (502 included when the
 * backend failed), and a latency histogram ({@code buckets[i]} counts requests that took at most
 * {@link #BOUNDS_MILLIS}{@code [i]} ms, the last bucket the rest). Cumulative, so a window is {@link #minus}.
 */
@RegisterForReflection
public record Traffic(long requests, long errors5xx, List<Long> buckets) {
    /** Upper bounds of the latency buckets, roughly x1.6 apart: a 10x slowdown moves p99 by about five buckets. */
    public static final List<Long> BOUNDS_MILLIS = List.of(1L, 2L, 3L, 5L, 8L, 13L, 20L, 30L, 50L, 80L, 130L, 200L, 300L, 500L, 800L,
            1300L, 2000L, 3000L, 5000L, 8000L, 13000L, 20000L, 30000L, 60000L);
    public static final Traffic NONE = new Traffic(0, 0, List.of());

    public Traffic {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    /** The bucket a request of that duration falls in. */
    public static int bucket(long nanos) {
        long millis = (nanos + 999_999) / 1_000_000;
        for (int i = 0; i < BOUNDS_MILLIS.size(); i++) {
            if (millis <= BOUNDS_MILLIS.get(i)) {
                return i;
            }
        }
        return BOUNDS_MILLIS.size();
    }

    /** Traffic since {@code earlier}; when the counters went back (the route was reopened), everything counted now. */
    public Traffic minus(Traffic earlier) {
        if (earlier == null || earlier.requests > requests || earlier.errors5xx > errors5xx) {
            return this;
        }
        List<Long> d = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            long before = i < earlier.buckets.size() ? earlier.buckets.get(i) : 0;
            if (before > buckets.get(i)) {
                return this;
            }
            d.add(buckets.get(i) - before);
        }
        return new Traffic(requests - earlier.requests, errors5xx - earlier.errors5xx, d);
    }

    /** Share of 5xx answers in percent; 0 without requests. */
    public double errorPercent() {
        return requests == 0 ? 0 : 100.0 * errors5xx / requests;
    }

    /** The 99th percentile latency as its bucket's upper bound in ms (twice the last bound above it); null without requests. */
    public Long p99Millis() {
        long total = 0;
        for (long b : buckets) {
            total += b;
        }
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(total * 0.99);
        long seen = 0;
        for (int i = 0; i < buckets.size(); i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return i < BOUNDS_MILLIS.size() ? BOUNDS_MILLIS.get(i) : 2 * BOUNDS_MILLIS.get(BOUNDS_MILLIS.size() - 1);
            }
        }
        return 2 * BOUNDS_MILLIS.get(BOUNDS_MILLIS.size() - 1);
    }
}
