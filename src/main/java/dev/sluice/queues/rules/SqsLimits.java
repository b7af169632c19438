package dev.sluice.queues.rules;

import java.time.Duration;

/** SQS's fixed limits that more than one rule, or a backend's bookkeeping, depends on (SQS quotas, API reference). */
public final class SqsLimits {
    /** A FIFO deduplication id is remembered for 5 minutes (SendMessage API reference). */
    public static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);

    /** A FIFO receive retried with the same ReceiveRequestAttemptId within 5 minutes gets the same answer. */
    public static final Duration RECEIVE_ATTEMPT_WINDOW = Duration.ofMinutes(5);

    /** PurgeQueue, and re-creating a deleted queue's name, each wait 60 seconds (enforced in strict mode). */
    public static final Duration PURGE_AND_RECREATE_INTERVAL = Duration.ofSeconds(60);

    /** At most 50 tags per queue. */
    public static final int MAX_TAGS = 50;

    /** A message move task moves at most 500 messages per second. */
    public static final int MAX_MOVE_RATE = 500;

    /**
     * Messages in flight per queue (received, not yet deleted or visible again): about 120,000 on a standard queue,
     * 120,000 on a FIFO queue (SQS developer guide, standard and FIFO queue quotas). Past it a standard queue's short
     * poll gets OverLimit; its long poll, and any FIFO receive, get no messages and no error.
     */
    public static final int MAX_IN_FLIGHT = 120_000;

    /** At most 10 messages per receive, and per batch. */
    public static final int MAX_MESSAGES_PER_CALL = 10;

    private SqsLimits() {}
}
