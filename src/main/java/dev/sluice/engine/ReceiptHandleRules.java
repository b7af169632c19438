package dev.sluice.engine;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.rules.QueueSettings;
import java.time.Duration;

/**
 * What a receipt handle may still do to its message: DeleteMessage and ChangeMessageVisibility (API reference, and
 * what real SQS answers). Called holding the queue's lock; {@code now} is the operation's one clock read.
 *
 * <p>The rules differ by queue type. A standard queue deletes the message with any handle of its latest receive, even
 * once its visibility timeout is over. A FIFO queue refuses a handle whose receive is over (timed out, made visible, or
 * received again since): the message may already be another consumer's, and deleting it would break the group's
 * order. A visibility change applies while the message is in flight, whichever of its receives the handle came from.
 */
final class ReceiptHandleRules {
    private ReceiptHandleRules() {}

    /** The handle, if it is one of this queue's; else ReceiptHandleIsInvalid. */
    static ReceiptHandle of(Queue queue, String receiptHandle) {
        ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
        if (!handle.queueId().equals(queue.queueId)) {
            throw new QueueException(
                    QueueError.RECEIPT_HANDLE_INVALID,
                    "The input receipt handle \"" + receiptHandle + "\" is not a valid receipt handle.");
        }
        return handle;
    }

    /**
     * The message DeleteMessage removes, or null when the delete succeeds without removing anything: the message is
     * gone already, or (standard queues) the handle is from an earlier receive, so a message another consumer now holds
     * is not lost (SQS: such a delete "succeeds but need not delete", DeleteMessage API reference).
     */
    static Message toDelete(Queue queue, ReceiptHandle handle, String receiptHandle, long now) {
        Message message = queue.byId.get(handle.messageId());
        if (message == null) {
            return null;
        }
        boolean latest = message.receiveCount == handle.receiveCount();
        if (queue.settings.fifo() && (!latest || message.visibleAtMillis <= now)) {
            // SQS FIFO: "Value <handle> for parameter ReceiptHandle is invalid. Reason: The receipt handle has
            // expired." (recorded against AWS in LocalStack's test_fifo_delete_after_visibility_timeout).
            throw QueueException.invalidParameter("Value " + receiptHandle
                    + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
        }
        return latest ? message : null;
    }

    /**
     * The message whose visibility the change moves, or null when the change is an accepted no-op: real SQS answers
     * 200 and changes nothing once the message is visible again (recorded against AWS in LocalStack's PR #9632). While
     * it is in flight, a handle of an earlier receive applies too, as on AWS.
     */
    static Message toChangeVisibility(Queue queue, ReceiptHandle handle, String receiptHandle, long now) {
        Message message = queue.byId.get(handle.messageId());
        if (message == null) {
            throw QueueException.invalidParameter("Value " + receiptHandle
                    + " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available"
                    + " for visibility timeout change.");
        }
        return message.visibleAtMillis <= now ? null : message;
    }

    /** SQS: a message stays in flight at most 12 hours from when it was last received. */
    static long visibleAt(Message message, Duration timeout, long now) {
        long visibleAt = now + timeout.toMillis();
        if (visibleAt > message.lastReceiveMillis + QueueSettings.MAX_VISIBILITY_TIMEOUT.toMillis()) {
            throw QueueException.invalidParameter("Value " + timeout.toSeconds()
                    + " for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message"
                    + " is beyond the limit [43200 seconds]");
        }
        return visibleAt;
    }

    static void requireVisibilityTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(QueueSettings.MAX_VISIBILITY_TIMEOUT) > 0) {
            throw QueueException.invalidParameter("Value " + timeout.toSeconds()
                    + " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.");
        }
    }
}
