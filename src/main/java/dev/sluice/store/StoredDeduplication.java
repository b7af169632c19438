package dev.sluice.store;

/**
 * A FIFO deduplication record: within its window, a send with the same key answers with the first message's id and
 * sequence number instead of adding a message. Kept after the message is deleted and across restarts.
 */
public record StoredDeduplication(String queueId, String key, String messageId, long sequence, long expiresAtMillis) {}
