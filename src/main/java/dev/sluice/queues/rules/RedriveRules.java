package dev.sluice.queues.rules;

import dev.sluice.queues.QueueKey;
import java.util.function.Function;

/** What a queue's RedrivePolicy may point at (SQS developer guide, dead-letter queues). */
public final class RedriveRules {
    private RedriveRules() {}

    /**
     * The target of the queue's RedrivePolicy, if it has one, must exist, be of the same type and, for now, of the same
     * account, and its RedriveAllowPolicy must let this queue use it. {@code settingsOf} gives a queue's settings, or
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
        QueueSettings target = settingsOf.apply(targetKey);
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

    /** Whether a queue with these settings sends its messages to {@code deadLetterQueue} after maxReceiveCount. */
    public static boolean redrivesTo(QueueSettings settings, QueueKey deadLetterQueue) {
        RedrivePolicy policy = settings.redrivePolicy();
        return policy != null && policy.deadLetterTarget().key().equals(deadLetterQueue);
    }
}
