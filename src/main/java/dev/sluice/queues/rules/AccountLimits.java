package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;

/**
 * A tenant's limits on a shared service: how many queues its account may own and how many messages they may hold
 * together (AWS has neither per account). A backend applies them atomically with the change they limit.
 */
public final class AccountLimits {
    /** No limit. */
    public static final int NO_QUEUE_LIMIT = Integer.MAX_VALUE;

    public static final long NO_MESSAGE_LIMIT = Long.MAX_VALUE;

    private AccountLimits() {}

    /** CreateQueue of a new queue where the account owns {@code owned} queues and may own {@code maxQueues}. */
    public static void requireRoomForQueue(String accountId, long owned, int maxQueues) {
        if (maxQueues != NO_QUEUE_LIMIT && owned >= maxQueues) {
            throw new QueueException(
                    QueueError.OVER_LIMIT,
                    "You have reached the limit of " + maxQueues + " queues for account " + accountId + ".");
        }
    }

    /** A send that would take the account's messages beyond {@code maxMessages}: OverLimit for the whole request. */
    public static QueueException overMessageLimit(String accountId, long maxMessages) {
        return new QueueException(
                QueueError.OVER_LIMIT,
                "You have reached the limit of " + maxMessages + " stored messages for account " + accountId + ".");
    }
}
