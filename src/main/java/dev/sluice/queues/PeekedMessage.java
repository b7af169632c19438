package dev.sluice.queues;

import java.time.Instant;
import java.util.Map;

/**
 * One message as a peek sees it: what was sent and where it stands now. It carries no receipt handle, as nothing
 * received it. {@code firstReceived} is null for a message never received; {@code sequenceNumber} is null outside
 * FIFO queues; {@code deadLetterSourceQueue} is the queue a dead-lettered message came from, else null.
 */
public record PeekedMessage(
        String messageId,
        String body,
        Map<String, MessageAttribute> messageAttributes,
        String messageGroupId,
        String messageDeduplicationId,
        String sequenceNumber,
        QueueKey deadLetterSourceQueue,
        State state,
        int receiveCount,
        Instant sent,
        Instant firstReceived,
        Instant visibleAt) {

    /** Where a message stands: receivable now, received and hidden, or never received and still delayed. */
    public enum State {
        VISIBLE,
        IN_FLIGHT,
        DELAYED
    }
}
