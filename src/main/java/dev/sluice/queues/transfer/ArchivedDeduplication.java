package dev.sluice.queues.transfer;

/**
 * A FIFO queue's deduplication record: within its window (until {@code expiresAtMillis}) a send with the same key
 * answers with this message id and sequence number instead of adding a message, even after the message was deleted.
 * {@code key} is as the backend keys it (the deduplication id, or group and id with DeduplicationScope messageGroup).
 */
public record ArchivedDeduplication(String key, String messageId, long sequence, long expiresAtMillis) {}
