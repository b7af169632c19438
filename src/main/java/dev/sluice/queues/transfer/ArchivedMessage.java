package dev.sluice.queues.transfer;

import dev.sluice.queues.MessageAttribute;
import java.util.Map;

/**
 * A message as an export holds it: what was sent (id, body, attributes, sender, group and deduplication ids, the queue
 * a dead-lettered message came from as {@code account/name}), its place in its queue ({@code sequence}, send order),
 * when it was sent and when its retention started ({@code enqueuedMillis}), and its delivery state: receive count,
 * first and last receive (0 = never) and when it is visible next.
 */
public record ArchivedMessage(
        String messageId,
        long sequence,
        String body,
        Map<String, MessageAttribute> messageAttributes,
        Map<String, MessageAttribute> systemAttributes,
        String senderId,
        long sentMillis,
        long enqueuedMillis,
        String messageGroupId,
        String messageDeduplicationId,
        String deadLetterSource,
        int receiveCount,
        long firstReceiveMillis,
        long lastReceiveMillis,
        long visibleAtMillis) {

    public ArchivedMessage {
        messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
        systemAttributes = systemAttributes == null ? Map.of() : systemAttributes;
    }

    /**
     * The message as a restore stores it at {@code nowMillis}: one in flight (received, its visibility timeout not
     * over) becomes visible now, since the receipt handle its consumer holds names the old backend and can neither
     * delete it nor extend its timeout; its receive count stays. A delayed message (never received) keeps its delay.
     */
    public ArchivedMessage restoredAt(long nowMillis) {
        if (receiveCount == 0 || visibleAtMillis <= nowMillis) {
            return this;
        }
        return new ArchivedMessage(
                messageId,
                sequence,
                body,
                messageAttributes,
                systemAttributes,
                senderId,
                sentMillis,
                enqueuedMillis,
                messageGroupId,
                messageDeduplicationId,
                deadLetterSource,
                receiveCount,
                firstReceiveMillis,
                lastReceiveMillis,
                nowMillis);
    }
}
