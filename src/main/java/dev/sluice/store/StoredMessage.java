package dev.sluice.store;

import java.util.Map;

/**
 * The immutable part of a message: what was sent and when. Its changing delivery state is a separate
 * {@link StoredDelivery}, so a receive rewrites a few bytes rather than the body. {@code deadLetterSourceQueue} is
 * the {@code accountId/name} of the queue a dead-lettered message came from, else null.
 */
public record StoredMessage(
        String queueId,
        String messageId,
        long sequence,
        String body,
        Map<String, StoredMessageAttribute> messageAttributes,
        Map<String, StoredMessageAttribute> systemAttributes,
        String senderId,
        long sentMillis,
        String messageGroupId,
        String messageDeduplicationId,
        String deadLetterSourceQueue) {

    /** The same message in another queue (a dead-letter move or a redrive), with a new sequence there. */
    public StoredMessage movedTo(String newQueueId, long newSequence, String newDeadLetterSourceQueue) {
        return new StoredMessage(
                newQueueId,
                messageId,
                newSequence,
                body,
                messageAttributes,
                systemAttributes,
                senderId,
                sentMillis,
                messageGroupId,
                messageDeduplicationId,
                newDeadLetterSourceQueue);
    }
}
