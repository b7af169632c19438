package dev.sluice.queues.rules;

import dev.sluice.queues.QueueKey;
import java.util.function.Function;

/** What a queue's RedrivePolicy may point at (SQS developer guide, dead-letter queues). */
public final class RedriveRules {
    private RedriveRules() {}

    /**
     * The target of the queue's RedrivePolicy, if it has one, must exist, be of the same type and of the same account and
     * region, and its RedriveAllowPolicy must let this queue use it. {@code settingsOf} gives a queue's settings, or
     * null for a queue that does not exist.
     */
    public static void validate(QueueKey source, QueueSettings settings, Function<QueueKey, QueueSettings> settingsOf) {
        RedrivePolicy policy = settings.redrivePolicy();
        if (policy == null) {
            return;
        }
        String value = settings.values().get(QueueSettings.REDRIVE_POLICY);
        QueueKey targetKey = policy.deadLetterTarget().key();
        // The owner is checked before existence: another account's queue gets one answer whether or not it exists,
        // so a RedrivePolicy cannot probe which queues other tenants have.
        if (!targetKey.accountId().equals(source.accountId())) {
            throw RedrivePolicy.invalid(value, "Dead-letter target owner should be same as the source.");
        }
        // SQS: a dead-letter queue is in its source queues' region; SQS in one region knows no queue of another, so
        // another region's ARN names a queue that does not exist.
        QueueSettings target = targetKey.region().equals(source.region()) ? settingsOf.apply(targetKey) : null;
        if (target == null) {
            throw RedrivePolicy.invalid(value, "Dead letter target does not exist.");
        }
        if (target.fifo() != settings.fifo()) {
            throw RedrivePolicy.invalid(value, "Dead-letter queue must be same type of queue as the source.");
        }
        if (!target.redriveAllowPolicy().allows(source)) {
            throw RedrivePolicy.invalid(
                    value, "Queue " + targetKey.name() + " does not allow this queue to use it as dead-letter queue.");
        }
    }

    /** Whether the queue {@code source} with these settings sends its messages to {@code deadLetterQueue}. */
    public static boolean redrivesTo(QueueKey source, QueueSettings settings, QueueKey deadLetterQueue) {
        RedrivePolicy policy = settings.redrivePolicy();
        return policy != null && deadLetterQueue(source, policy).equals(deadLetterQueue);
    }

    /**
     * The dead-letter queue of {@code source}'s RedrivePolicy: the queue its ARN names in the source's own region. The
     * two regions differ only in a policy stored before {@code sluice.region} was changed, which moved the source (a
     * queue of the default region) but not the region its policy's ARN names; validation admits no other.
     */
    public static QueueKey deadLetterQueue(QueueKey source, RedrivePolicy policy) {
        QueueKey target = policy.deadLetterTarget().key();
        return target.region().equals(source.region())
                ? target
                : new QueueKey(source.region(), target.accountId(), target.name());
    }
}
