package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a receipt handle stands for: one receive of one message of one queue. It is encoded from the delivery state
 * (which is stored), so handles stay valid across a restart, and a handle from an earlier receive is recognisably
 * stale.
 */
public record ReceiptHandle(String queueId, String messageId, int receiveCount, long receivedAtMillis) {

    public String encode() {
        String raw = queueId + ' ' + messageId + ' ' + receiveCount + ' ' + receivedAtMillis;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static ReceiptHandle decode(String handle) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8);
            String[] parts = raw.split(" ");
            if (parts.length == 4) {
                return new ReceiptHandle(parts[0], parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the AWS error below
        }
        throw new QueueException(
                QueueError.RECEIPT_HANDLE_INVALID,
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }
}
