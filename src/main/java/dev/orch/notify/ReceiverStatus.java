package dev.orch.notify;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One receiver as {@code GET /api/v1/notifications} and {@code orchctl get notifications} show it.
 *
 * @param url scheme and host only (a Slack URL's path is its secret)
 * @param failing whether the last 3 or more attempts failed (logged once until a delivery succeeds)
 */
@RegisterForReflection
public record ReceiverStatus(String name, String type, String url, long sent, long failed, long dropped, int queued,
        Instant lastDelivery, Instant lastErrorTime, String lastError, boolean failing) {
}
