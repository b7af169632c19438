package dev.sluice.engine;

import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.ReceiveRules;
import dev.sluice.queues.rules.SqsLimits;
import dev.sluice.store.StoreChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * FIFO: the answers of one queue's receives by ReceiveRequestAttemptId, repeated to a retry within {@link
 * SqsLimits#RECEIVE_ATTEMPT_WINDOW} (ElasticMQ keeps the same as its ReceiveRequestAttemptCache). Kept in memory
 * only, so a restart forgets them. Held by its queue; all access holds the queue's monitor.
 */
final class ReceiveAttempts {
    private record Attempt(List<ReceivedMessage> received, long visibilityTimeoutMillis, long expiresAtMillis) {}

    /** In the order the receives happened, so the oldest expire first. */
    private final LinkedHashMap<String, Attempt> byId = new LinkedHashMap<>();

    void remember(String attemptId, List<ReceivedMessage> received, long visibilityTimeoutMillis, long nowMillis) {
        byId.put(
                attemptId,
                new Attempt(
                        received, visibilityTimeoutMillis, nowMillis + SqsLimits.RECEIVE_ATTEMPT_WINDOW.toMillis()));
    }

    /**
     * The messages an earlier receive with this attempt id returned that are still in flight from that receive, or
     * null if there was no such receive in the window (or nothing of it is left). SQS: the retry "resets the
     * visibility timeout" (ReceiveMessage API reference), so they are hidden for that receive's timeout again from
     * now, within the 12-hour limit; a longer visibility set since is kept.
     */
    List<ReceivedMessage> replay(Queue queue, String attemptId, Transition transition) {
        long now = transition.now;
        byId.values().removeIf(attempt -> attempt.expiresAtMillis() <= now);
        Attempt attempt = byId.get(attemptId);
        if (attempt == null) {
            return null;
        }
        List<ReceivedMessage> still = new ArrayList<>();
        for (ReceivedMessage received : attempt.received()) {
            Message message = queue.byId.get(received.messageId());
            if (message != null && message.receiveCount == received.receiveCount() && message.visibleAtMillis > now) {
                long visibleAt = Math.min(
                        now + attempt.visibilityTimeoutMillis(),
                        ReceiveRules.inFlightLimitMillis(message.lastReceiveMillis));
                if (visibleAt > message.visibleAtMillis) {
                    queue.reschedule(message, visibleAt, now);
                    transition.add(new StoreChange.PutDelivery(message.delivery()));
                }
                still.add(received);
            }
        }
        return still.isEmpty() ? null : still;
    }
}
