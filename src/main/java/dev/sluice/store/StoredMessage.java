package dev.sluice.store;

import dev.sluice.queues.MessageAttribute;
import java.util.Map;

/**
 * The immutable part of a message: what was sent and when. Its changing delivery state is a separate
 * {@link StoredDelivery}, so a receive rewrites a few bytes rather than the body. {@code deadLetterSourceQueue} is
 * the {@code accountId/name} of the queue a dead-lettered message came from, else null. {@code enqueuedMillis} is
 * when its retention period started: the send, except for a FIFO message moved to another queue, whose retention
 * starts again there (SQS developer guide, dead-letter queue retention).
 */
public record StoredMessage(
        String queueId,
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
        String deadLetterSourceQueue) {

    /** The same message without its body, as the engine keeps it when the store reads bodies back. */
    public StoredMessage withoutBody() {
        return withBody(null);
    }

    /** The same message with the given body. */
    public StoredMessage withBody(String newBody) {
        return new StoredMessage(
                queueId,
                messageId,
                sequence,
                newBody,
                messageAttributes,
                systemAttributes,
                senderId,
                sentMillis,
                enqueuedMillis,
                messageGroupId,
                messageDeduplicationId,
                deadLetterSourceQueue);
    }

    /** The same message in another queue (a dead-letter move or a redrive), with a new sequence there. */
    public StoredMessage movedTo(
            String newQueueId, long newSequence, String newDeadLetterSourceQueue, long newEnqueuedMillis) {
        return new StoredMessage(
                newQueueId,
                messageId,
                newSequence,
                body,
                messageAttributes,
                systemAttributes,
                senderId,
                sentMillis,
                newEnqueuedMillis,
                messageGroupId,
                messageDeduplicationId,
                newDeadLetterSourceQueue);
    }
}
