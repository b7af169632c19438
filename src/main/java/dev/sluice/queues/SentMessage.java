package dev.sluice.queues;

/**
 * What SendMessage answers: the new id, the digests the SDK checks against what it sent, and for FIFO queues the
 * sequence number (else null).
 */
public record SentMessage(
        String messageId,
        String md5OfMessageBody,
        String md5OfMessageAttributes,
        String md5OfMessageSystemAttributes,
        String sequenceNumber) {}
