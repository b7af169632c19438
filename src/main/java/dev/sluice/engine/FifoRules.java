package dev.sluice.engine;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.rules.QueueSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The send rules that depend on the queue type (SendMessage API reference): FIFO queues need a MessageGroupId, take no
 * per-message delay, and deduplicate by MessageDeduplicationId or, with ContentBasedDeduplication, by the SHA-256 of
 * the body. Standard queues take a MessageGroupId (fair queues) but no deduplication id.
 */
final class FifoRules {
    /** SQS: group and deduplication ids are up to 128 characters of ASCII letters, digits and punctuation. */
    private static final int MAX_ID_LENGTH = 128;

    private FifoRules() {}

    /** The deduplication id the message is known by, or null on a standard queue. */
    static String deduplicationId(NewMessage message, QueueSettings settings) {
        requireValidId("MessageGroupId", message.messageGroupId());
        requireValidId("MessageDeduplicationId", message.messageDeduplicationId());
        if (!settings.fifo()) {
            if (message.messageDeduplicationId() != null) {
                throw notForThisQueueType("MessageDeduplicationId", message.messageDeduplicationId());
            }
            return null;
        }
        if (message.messageGroupId() == null) {
            throw new QueueException(
                    QueueError.MISSING_PARAMETER, "The request must contain the parameter MessageGroupId.");
        }
        if (message.delay().filter(delay -> !delay.equals(Duration.ZERO)).isPresent()) {
            throw notForThisQueueType(
                    "DelaySeconds", String.valueOf(message.delay().get().toSeconds()));
        }
        if (message.messageDeduplicationId() != null) {
            return message.messageDeduplicationId();
        }
        if (!settings.contentBasedDeduplication()) {
            throw QueueException.invalidParameter("The queue should either have ContentBasedDeduplication enabled or"
                    + " MessageDeduplicationId provided explicitly");
        }
        return sha256(message.body());
    }

    /** SQS: a FIFO queue takes no per-message delay (DelaySeconds=0 is accepted and ignored): the queue's applies. */
    static Duration delay(NewMessage message, QueueSettings settings) {
        return settings.fifo() ? settings.delay() : message.delay().orElse(settings.delay());
    }

    private static void requireValidId(String parameter, String id) {
        if (id == null) {
            return;
        }
        boolean valid =
                !id.isEmpty() && id.length() <= MAX_ID_LENGTH && id.chars().allMatch(c -> c >= 33 && c <= 126);
        if (!valid) {
            throw QueueException.invalidParameter("Value " + id + " for parameter " + parameter
                    + " is invalid. Reason: " + parameter + " can only include alphanumeric and punctuation characters."
                    + " 1 to 128 in length.");
        }
    }

    private static QueueException notForThisQueueType(String parameter, String value) {
        return QueueException.invalidParameter("Value " + value + " for parameter " + parameter
                + " is invalid. Reason: The request include parameter that is not valid for this queue type.");
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
