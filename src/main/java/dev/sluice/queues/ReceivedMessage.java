package dev.sluice.queues;

import java.time.Instant;
import java.util.Map;

/**
 * One message handed out by a receive: what was sent, with the receipt handle, receive count and first receive of
 * this receive, and the digests the SDKs check. The group id is null unless one was sent; the deduplication id and
 * sequence number are FIFO's (else null); {@code deadLetterSourceQueue} is the queue a dead-lettered message came
 * from (else null).
 */
public record ReceivedMessage(
        String messageId,
        String receiptHandle,
        String body,
        String md5OfBody,
        Map<String, MessageAttribute> messageAttributes,
        String md5OfMessageAttributes,
        Map<String, MessageAttribute> systemAttributes,
        String senderId,
        Instant sentTimestamp,
        int receiveCount,
        Instant firstReceiveTimestamp,
        String messageGroupId,
        String messageDeduplicationId,
        String sequenceNumber,
        QueueKey deadLetterSourceQueue) {}
