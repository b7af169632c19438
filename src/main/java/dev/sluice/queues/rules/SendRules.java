package dev.sluice.queues.rules;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The send rules that depend on the queue type (SendMessage API reference): FIFO queues need a MessageGroupId, take no
 * per-message delay, and deduplicate by MessageDeduplicationId or, with ContentBasedDeduplication, by the SHA-256 of
 * the body, for {@link SqsLimits#DEDUPLICATION_WINDOW}. Standard queues take a MessageGroupId (fair queues) but no
 * deduplication id. The rules of one message's content are {@link MessageRules}'.
 */
public final class SendRules {
    /** SQS: group and deduplication ids are up to 128 characters of ASCII letters, digits and punctuation. */
    private static final int MAX_ID_LENGTH = 128;

    private static final String CONTENT_BASED_OR_EXPLICIT =
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided"
                    + " explicitly";

    private SendRules() {}

    /** The deduplication id the message is known by, or null on a standard queue. */
    public static String deduplicationId(NewMessage message, QueueSettings settings) {
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
            throw QueueException.invalidParameter(CONTENT_BASED_OR_EXPLICIT);
        }
        return sha256(message.body());
    }

    /** SQS: a FIFO queue takes no per-message delay (DelaySeconds=0 is accepted and ignored): the queue's applies. */
    public static Duration delay(NewMessage message, QueueSettings settings) {
        return settings.fifo() ? settings.delay() : message.delay().orElse(settings.delay());
    }

    /**
     * The key a FIFO message is deduplicated by: its deduplication id, within its message group when the queue's
     * DeduplicationScope is messageGroup.
     */
    public static String deduplicationKey(NewMessage message, QueueSettings settings, String deduplicationId) {
        return settings.deduplicationPerMessageGroup()
                ? message.messageGroupId() + ' ' + deduplicationId
                : deduplicationId;
    }

    /**
     * SendMessageBatch on a FIFO queue: an entry without MessageGroupId, or without a deduplication id where the queue
     * has no content-based deduplication, fails the whole request, not just the entry (recorded against AWS in
     * LocalStack's test_send_batch_missing_message_group_id_for_fifo_queue and ..._deduplication_id_...).
     */
    public static void requireBatchIds(QueueSettings settings, List<NewMessage> messages) {
        if (!settings.fifo()) {
            return;
        }
        for (NewMessage message : messages) {
            if (message.messageGroupId() == null) {
                throw QueueException.invalidParameter("The request must contain the parameter MessageGroupId.");
            }
            if (message.messageDeduplicationId() == null && !settings.contentBasedDeduplication()) {
                throw QueueException.invalidParameter(CONTENT_BASED_OR_EXPLICIT);
            }
        }
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
