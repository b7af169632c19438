package dev.sluice.queues.transfer;

import dev.sluice.queues.QueueKey;
import java.util.List;

/**
 * A backend's queues and messages as an export reads them and an import writes them back: the port {@code sluice
 * export} and {@code sluice import} use, implemented by each backend over its own storage (not through {@code Queues},
 * which cannot give a message its old id, sequence number or receive count). Used on a backend no server is serving.
 * Values are taken as they are: they were checked by the SQS rules when they were first stored, and the export file
 * carries them unchanged.
 */
public interface QueueArchive extends AutoCloseable {

    /** Every queue, by account, region and name. */
    List<ArchivedQueue> queues();

    /**
     * Up to {@code max} of the queue's messages with a sequence above {@code afterSequence}, in send order (sequence),
     * as they stand (a message past its retention period that the backend has not removed yet included).
     */
    List<ArchivedMessage> messages(QueueKey queue, long afterSequence, int max);

    /** The queue's FIFO deduplication records still within their window at {@code nowMillis}. */
    List<ArchivedDeduplication> deduplications(QueueKey queue, long nowMillis);

    /** Whether the backend holds any queue (an import refuses a non-empty target unless told otherwise). */
    default boolean holdsQueues() {
        return !queues().isEmpty();
    }

    /**
     * Creates the queue as archived (attributes, tags, timestamps, next sequence number). A live queue of that key is
     * replaced, with its messages.
     */
    void restoreQueue(ArchivedQueue queue);

    /** Stores messages of a restored queue with their ids, sequence numbers and delivery state, atomically. */
    void restoreMessages(QueueKey queue, List<ArchivedMessage> messages);

    /** Stores deduplication records of a restored FIFO queue, atomically. */
    void restoreDeduplications(QueueKey queue, List<ArchivedDeduplication> deduplications);

    @Override
    void close();
}
