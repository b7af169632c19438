package dev.sluice.engine;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.ReceiptHandle;
import dev.sluice.queues.rules.RedrivePolicy;
import dev.sluice.queues.rules.RedriveRules;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Messages leaving a queue: the claim of a receive, which moves messages past the redrive policy's maxReceiveCount to
 * the dead-letter queue instead of handing them out (and its undoing, for a receive whose answer was lost), and the
 * move itself, which message move tasks use too. A move is
 * part of its transition's commit; the copies become receivable in their new queue only once it is done ({@link
 * Transition#arrive}).
 */
final class Redrive {
    private final Store store;
    private final Function<QueueKey, Queue> queues;

    /** {@code queues}: a queue by its key, or null (the dead-letter queue a redrive policy names may be gone). */
    Redrive(Store store, Function<QueueKey, Queue> queues) {
        this.store = store;
        this.queues = queues;
    }

    /**
     * Claims up to {@code max} messages for one receive, hidden for {@code timeoutMillis}, recording their new delivery
     * state. Called holding the queue's lock.
     */
    List<ReceivedMessage> claim(Queue queue, int max, long timeoutMillis, Transition transition) {
        long now = transition.now;
        RedrivePolicy redrive = queue.settings.redrivePolicy();
        Queue deadLetterQueue = redrive == null ? null : queues.apply(RedriveRules.deadLetterQueue(queue.key, redrive));
        int maxReceiveCount = deadLetterQueue == null ? 0 : redrive.maxReceiveCount();
        Queue.Claim claim = queue.claim(max, now + timeoutMillis, now, maxReceiveCount);
        List<ReceivedMessage> received = new ArrayList<>(claim.received().size());
        List<Message> moved = List.of();
        List<StoreChange> moves = List.of();
        try {
            for (Message message : claim.received()) {
                received.add(message.received(store, queue.key.region()));
            }
            if (!claim.deadLettered().isEmpty()) {
                // Built aside and added only once every body is read: a failure leaves the transition as it was.
                moves = new ArrayList<>(claim.deadLettered().size() + 1);
                moves.add(new StoreChange.DeleteMessages(
                        queue.queueId,
                        claim.deadLettered().stream().map(Message::id).toList()));
                moved = copies(deadLetterQueue, claim.deadLettered(), queue.key, now, moves);
            }
        } catch (RuntimeException e) {
            // A body the store cannot give back: this receive hands out nothing and counts for nothing, so the
            // messages it took are not dead-lettered later for a receive that never reached anyone.
            claim.received().forEach(message -> queue.unreceive(message, now));
            claim.deadLettered().forEach(message -> queue.add(message, now));
            throw e;
        }
        for (Message message : claim.received()) {
            transition.add(new StoreChange.PutDelivery(message.delivery()));
        }
        queue.activity.received += received.size();
        queue.activity.deadLettered += moved.size();
        if (!moved.isEmpty()) {
            moves.forEach(transition::add);
            transition.arrive(deadLetterQueue, moved);
        }
        return received;
    }

    /**
     * Gives back what a receive claimed when its answer never reached the caller (the reply failed to encode): each
     * message still in flight from that receive becomes visible again, its receive not counted (see {@link
     * Queue#unreceive}). Handles of other receives, and messages deleted or received again since, are left alone.
     * Called holding the queue's lock.
     */
    void giveBack(Queue queue, List<String> receiptHandles, Transition transition) {
        for (String receiptHandle : receiptHandles) {
            ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
            Message message = queue.byId.get(handle.messageId());
            if (handle.queueId().equals(queue.queueId)
                    && message != null
                    && message.receiveCount == handle.receiveCount()
                    && message.visibleAtMillis > transition.now) {
                queue.unreceive(message, transition.now);
                transition.add(new StoreChange.PutDelivery(message.delivery()));
            }
        }
    }

    /**
     * Moves messages taken out of their queue into {@code target}, as part of the transition: their copies become
     * receivable there once it is committed. {@code deadLetterSource}: the queue they are dead-lettered from, or null
     * for a move task's move.
     */
    void moveInto(Queue target, List<Message> messages, QueueKey deadLetterSource, Transition transition) {
        List<StoreChange> puts = new ArrayList<>(messages.size());
        List<Message> moved = copies(target, messages, deadLetterSource, transition.now, puts);
        puts.forEach(transition::add);
        transition.arrive(target, moved);
    }

    /**
     * Copies of messages for another queue (same id, body, attributes, sent time), stored by {@code puts}. SQS: a
     * standard message keeps its enqueue time, so its retention runs on; a FIFO message's starts again.
     */
    private List<Message> copies(
            Queue target, List<Message> messages, QueueKey deadLetterSource, long now, List<StoreChange> puts) {
        String source = deadLetterSource == null ? null : StoredNames.deadLetterSourcePath(deadLetterSource);
        List<Message> moved = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Message copy = new Message(
                    message.withBody(store)
                            .movedTo(
                                    target.queueId,
                                    target.nextSequence(now),
                                    source,
                                    target.settings.fifo() ? now : message.enqueuedMillis),
                    now);
            if (deadLetterSource != null) {
                // SQS: a dead-lettered message keeps its receives; its first receive there shows the count go on.
                copy.receiveCount = message.receiveCount;
                copy.firstReceiveMillis = message.firstReceiveMillis;
                copy.lastReceiveMillis = message.lastReceiveMillis;
            }
            copy.pristine = true;
            puts.add(new StoreChange.PutMessage(copy.stored, copy.delivery()));
            moved.add(copy);
        }
        // Counted in the target's account from now; delivering them adds them as reserved.
        target.account.add(moved.size());
        return moved;
    }
}
