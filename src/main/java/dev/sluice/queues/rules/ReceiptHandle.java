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

    /** The handle's four fields, separated by single spaces (found with {@code indexOf}: a decode per delete). */
    public static ReceiptHandle decode(String handle) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8);
            int first = raw.indexOf(' ');
            int second = first < 0 ? -1 : raw.indexOf(' ', first + 1);
            int third = second < 0 ? -1 : raw.indexOf(' ', second + 1);
            if (third >= 0 && raw.indexOf(' ', third + 1) < 0) {
                return new ReceiptHandle(
                        raw.substring(0, first),
                        raw.substring(first + 1, second),
                        Integer.parseInt(raw, second + 1, third, 10),
                        Long.parseLong(raw, third + 1, raw.length(), 10));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the AWS error below
        }
        throw new QueueException(
                QueueError.RECEIPT_HANDLE_INVALID,
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }
}
