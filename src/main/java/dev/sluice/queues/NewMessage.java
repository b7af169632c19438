package dev.sluice.queues;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A message as a client sends it; an empty delay means the queue's default. The group and deduplication ids are null
 * when not sent.
 */
public record NewMessage(
        String body,
        Map<String, MessageAttribute> messageAttributes,
        Map<String, MessageAttribute> systemAttributes,
        Optional<Duration> delay,
        String senderId,
        String messageGroupId,
        String messageDeduplicationId) {

    /** A message without group or deduplication id (standard queues). */
    public NewMessage(
            String body,
            Map<String, MessageAttribute> messageAttributes,
            Map<String, MessageAttribute> systemAttributes,
            Optional<Duration> delay,
            String senderId) {
        this(body, messageAttributes, systemAttributes, delay, senderId, null, null);
    }
}
