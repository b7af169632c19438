package dev.sluice.store;

import java.util.Map;

/**
 * The immutable part of a message: what was sent and when. Its changing delivery state is a separate
 * {@link StoredDelivery}, so a receive rewrites a few bytes rather than the body.
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
        String messageDeduplicationId) {}
