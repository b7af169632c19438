package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;

/**
 * Whether AWS's 60-second rules for PurgeQueue and for re-creating a deleted queue's name are enforced
 * ({@code sluice.strict}): a local user running tests back to back may not want them.
 */
public enum Strictness {
    /** The 60-second rules are waived. */
    LENIENT,
    /** As AWS: both 60-second rules apply. */
    STRICT;

    /** CreateQueue of a name whose queue was deleted at {@code deletedAtMillis} (null: never). */
    public void requireRecreatable(Long deletedAtMillis, long nowMillis) {
        if (this == STRICT && within(deletedAtMillis, nowMillis)) {
            throw new QueueException(
                    QueueError.QUEUE_DELETED_RECENTLY,
                    "You must wait 60 seconds after deleting a queue before you can create another with the same"
                            + " name.");
        }
    }

    /** PurgeQueue of a queue last purged at {@code lastPurgeMillis} (null: never). */
    public void requirePurgeable(QueueKey key, Long lastPurgeMillis, long nowMillis) {
        if (this == STRICT && within(lastPurgeMillis, nowMillis)) {
            throw new QueueException(
                    QueueError.PURGE_IN_PROGRESS,
                    "Only one PurgeQueue operation on " + key.name() + " is allowed every 60 seconds.");
        }
    }

    private static boolean within(Long sinceMillis, long nowMillis) {
        return sinceMillis != null && nowMillis - sinceMillis < SqsLimits.PURGE_AND_RECREATE_INTERVAL.toMillis();
    }
}
