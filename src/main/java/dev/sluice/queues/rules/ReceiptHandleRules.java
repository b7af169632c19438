package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;

/**
 * What a receipt handle may still do to its message: DeleteMessage and ChangeMessageVisibility (API reference, and
 * what real SQS answers). A backend looks the message up and passes its delivery state; {@code now} is the operation's
 * one clock read.
 *
 * <p>The rules differ by queue type. A standard queue deletes the message with any handle of its latest receive, even
 * once its visibility timeout is over. A FIFO queue refuses a handle whose receive is over (timed out, made visible, or
 * received again since): the message may already be another consumer's, and deleting it would break the group's
 * order. A visibility change applies while the message is in flight, whichever of its receives the handle came from.
 */
public final class ReceiptHandleRules {
    private ReceiptHandleRules() {}

    /** The handle, if it is one of the queue {@code queueId}'s; else ReceiptHandleIsInvalid. */
    public static ReceiptHandle of(String queueId, String receiptHandle) {
        ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
        if (!handle.queueId().equals(queueId)) {
            throw new QueueException(
                    QueueError.RECEIPT_HANDLE_INVALID,
                    "The input receipt handle \"" + receiptHandle + "\" is not a valid receipt handle.");
        }
        return handle;
    }

    /**
     * Whether DeleteMessage removes the message the handle names, now received {@code receiveCount} times and visible
     * from {@code visibleAtMillis}. False when the delete succeeds without removing anything: (standard queues) the
     * handle is from an earlier receive, so a message another consumer now holds is not lost (SQS: such a delete
     * "succeeds but need not delete", DeleteMessage API reference). A message that is gone already is the caller's
     * success too.
     */
    public static boolean deletes(
            ReceiptHandle handle,
            String receiptHandle,
            boolean fifo,
            int receiveCount,
            long visibleAtMillis,
            long nowMillis) {
        boolean latest = receiveCount == handle.receiveCount();
        if (fifo && (!latest || visibleAtMillis <= nowMillis)) {
            // SQS FIFO: "Value <handle> for parameter ReceiptHandle is invalid. Reason: The receipt handle has
            // expired." (recorded against AWS in LocalStack's test_fifo_delete_after_visibility_timeout).
            throw QueueException.invalidParameter("Value " + receiptHandle
                    + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
        }
        return latest;
    }

    /**
     * Whether ChangeMessageVisibility moves the visibility of a message visible from {@code visibleAtMillis}: only
     * while it is in flight; once it is visible again the change is an accepted no-op (real SQS answers 200 and
     * changes nothing, recorded against AWS in LocalStack's PR #9632). While it is in flight, a handle of an earlier
     * receive applies too, as on AWS.
     */
    public static boolean changesVisibility(long visibleAtMillis, long nowMillis) {
        return visibleAtMillis > nowMillis;
    }

    /** ChangeMessageVisibility of a message that does not exist (deleted, expired, or never there). */
    public static QueueException messageNotAvailable(String receiptHandle) {
        return QueueException.invalidParameter("Value " + receiptHandle
                + " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available"
                + " for visibility timeout change.");
    }
}
