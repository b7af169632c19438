package dev.sluice.engine;

import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One operation's way to the store: the time it read once, the changes it makes in order, and the work that waits
 * for their commit. Changes are collected and {@link #commit committed} while the queue's lock is held, so the store
 * applies a queue's changes in the order they happened in memory; the work that waits for the commit ({@link
 * #runAfterCommit}) runs only after the lock is released.
 */
final class Transition {
    /** Where messages moved to another queue go once their move is committed (parked receives may be waiting). */
    interface Arrivals {
        void deliver(Queue queue, List<Message> messages);
    }

    private static final CompletionStage<Void> NOTHING_TO_COMMIT = CompletableFuture.completedStage(null);

    final long now;
    private final Store store;
    private final Arrivals arrivals;
    private final List<StoreChange> changes;
    private List<Runnable> afterCommit = List.of();
    private CompletionStage<Void> committed;

    Transition(Store store, Arrivals arrivals, long now, int expectedChanges) {
        this.store = store;
        this.arrivals = arrivals;
        this.now = now;
        this.changes = new ArrayList<>(expectedChanges);
    }

    void add(StoreChange change) {
        changes.add(change);
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Removes the queue's messages past their retention period and records their deletion. */
    void expire(Queue queue) {
        List<String> expired = queue.expire(now);
        if (!expired.isEmpty()) {
            changes.add(new StoreChange.DeleteMessages(queue.queueId, expired));
        }
        if (queue.pages != null) {
            List<QueuePages.Page> dropped = queue.expirePages(now);
            if (!dropped.isEmpty()) {
                List<String> names = new ArrayList<>(dropped.size());
                dropped.forEach(page -> names.add(page.stored.name()));
                changes.add(new StoreChange.DropPages(queue.queueId, names));
            }
        }
    }

    /** Messages this transition moves into {@code queue}: they become receivable there once it is committed. */
    void arrive(Queue queue, List<Message> messages) {
        afterCommit(() -> arrivals.deliver(queue, messages));
    }

    /** Work for after the commit, run in the order it was added. */
    void afterCommit(Runnable work) {
        if (afterCommit.isEmpty()) {
            afterCommit = new ArrayList<>(2);
        }
        afterCommit.add(work);
    }

    /** Hands the changes to the store (under the queue's lock); completes when they are durable. */
    CompletionStage<Void> commit() {
        committed = changes.isEmpty() ? NOTHING_TO_COMMIT : store.commit(changes);
        return committed;
    }

    /**
     * Runs the work that waits for the commit once it is done. Called only after releasing the queue's lock: with a
     * store whose commits complete at once the work runs right here, and under the lock a receive dead-lettering from
     * a source into its dead-letter queue and a move task putting messages from that dead-letter queue back into the
     * source would each hold the lock the other needs.
     */
    void runAfterCommit() {
        if (!afterCommit.isEmpty()) {
            List<Runnable> work = afterCommit;
            committed.thenRun(() -> work.forEach(Runnable::run));
        }
    }

    /** Commits changes nobody waits for (expired messages); a failure only means they expire again after restart. */
    void commitQuietly() {
        if (!changes.isEmpty()) {
            store.commit(changes);
        }
    }
}
