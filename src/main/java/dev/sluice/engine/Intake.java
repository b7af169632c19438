package dev.sluice.engine;

import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.rules.MessageDigests;
import dev.sluice.queues.rules.MessageRules;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.SendRules;
import dev.sluice.queues.rules.SequenceNumbers;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMessage;
import java.time.Duration;
import java.util.List;

/**
 * What a send makes of each message a client sends: the SQS rules applied ({@code MessageRules}, {@code SendRules}),
 * then either the answer of a FIFO duplicate or a new message with its id, sequence number and visibility, and the
 * digests the SDKs check.
 */
final class Intake {
    private final IdSource ids;

    Intake(IdSource ids) {
        this.ids = ids;
    }

    /**
     * Applies the send rules to one message. A FIFO duplicate within the deduplication window is answered with the
     * first message's id and sequence number and adds nothing; anything else becomes a new message of the queue, added
     * to {@code created} and recorded in the transition (with its deduplication key), its place in its group held
     * until it is committed. Called holding the queue's lock.
     */
    SentMessage accept(Queue queue, NewMessage message, Transition transition, List<Message> created) {
        long now = transition.now;
        QueueSettings settings = queue.settings;
        long size = MessageRules.validate(message, settings);
        String deduplicationId = SendRules.deduplicationId(message, settings);
        String systemMd5 = MessageDigests.ofAttributes(message.systemAttributes());
        String deduplicationKey = null;
        if (deduplicationId != null) {
            deduplicationKey = SendRules.deduplicationKey(message, settings, deduplicationId);
            Deduplications.First first = queue.deduplications.firstSent(deduplicationKey);
            if (first != null) {
                queue.activity.deduplicated++;
                return new SentMessage(
                        first.messageId(),
                        MessageDigests.ofBody(message.body()),
                        MessageDigests.ofAttributes(message.messageAttributes()),
                        systemMd5,
                        SequenceNumbers.format(first.sequence()));
            }
        }
        Duration delay = SendRules.delay(message, settings);
        StoredMessage stored = new StoredMessage(
                queue.queueId,
                ids.newId(),
                queue.nextSequence(now),
                message.body(),
                message.messageAttributes(),
                message.systemAttributes(),
                message.senderId(),
                now,
                now,
                message.messageGroupId(),
                deduplicationId,
                null);
        Message made = new Message(stored, now + delay.toMillis());
        made.pristine = true;
        transition.add(new StoreChange.PutMessage(made.stored, made.delivery()));
        if (deduplicationKey != null) {
            queue.deduplications.remember(queue.queueId, deduplicationKey, made.id(), stored.sequence(), transition);
        }
        created.add(made);
        queue.reserve(made);
        queue.activity.sent++;
        queue.activity.sentBytes += size;
        return new SentMessage(
                made.id(),
                made.md5OfBody(),
                made.md5OfAttributes(),
                systemMd5,
                settings.fifo() ? SequenceNumbers.format(stored.sequence()) : null);
    }
}
