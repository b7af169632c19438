package dev.sluice.queues;

import java.util.List;

/**
 * A read-only view of every queue's counts, for metrics: what a backend can tell cheaply, read when metrics are
 * scraped, never on the send or receive path. The names follow SQS's CloudWatch metrics.
 */
public interface QueueStatistics {

    /** Every queue's counts as they stand now, in no particular order. */
    List<Counts> read();

    /**
     * One queue's counts. The gauges: messages visible ({@code ApproximateNumberOfMessagesVisible}), in flight
     * ({@code …NotVisible}), delayed ({@code …Delayed}) and the age of the oldest message in milliseconds ({@code
     * ApproximateAgeOfOldestMessage}; 0 for an empty queue). The counters, since the queue was created or the server
     * started: messages sent and their bytes ({@code NumberOfMessagesSent}, {@code SentMessageSize}), received, deleted
     * (every successful delete, of a message already gone too), receives that got nothing ({@code
     * NumberOfEmptyReceives}), messages moved to the dead-letter queue from this queue, and FIFO sends answered as
     * duplicates within the deduplication window (which add no message). {@code deadLetterQueue}: some queue's
     * RedrivePolicy names this one.
     */
    record Counts(
            QueueKey key,
            boolean deadLetterQueue,
            int visible,
            int notVisible,
            int delayed,
            long ageOfOldestMillis,
            long sent,
            long sentBytes,
            long received,
            long deleted,
            long emptyReceives,
            long deadLettered,
            long deduplicated) {}
}
