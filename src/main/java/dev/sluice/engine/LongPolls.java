package dev.sluice.engine;

import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.Scheduler;
import dev.sluice.store.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Receives that wait for messages (WaitTimeSeconds): parked on their queue ({@link Waiters}), served as messages
 * become receivable (sent and committed, visible again, delivered by a move), and answered empty at their deadline.
 * One timer per queue wakes them, set to the earliest deadline or next visibility. A parked receive is answered only
 * once the commit recording what it got is done. Holds no thread: a 20-second long poll is a future and a timer.
 */
final class LongPolls implements Transition.Arrivals {
    private final Store store;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Redrive redrive;
    /** The store reads bodies back: committed messages drop theirs ({@link Message#releaseBody}). */
    private final boolean bodiesInStore;
    /** Set when the server stops: a receive that finds nothing answers at once instead of parking. */
    private volatile boolean ended;

    LongPolls(Store store, InstantSource clock, Scheduler scheduler, Redrive redrive) {
        this.store = store;
        this.clock = clock;
        this.scheduler = scheduler;
        this.redrive = redrive;
        this.bodiesInStore = store.readsBodiesBack();
    }

    /** A transition whose moved messages this delivers. */
    Transition transition(long now, int expectedChanges) {
        return new Transition(store, this, now, expectedChanges);
    }

    /**
     * Parks a receive that found nothing until {@code deadlineMillis}; its answer comes once messages are claimed for
     * it, or empty at the deadline. Called holding the queue's lock.
     */
    CompletableFuture<List<ReceivedMessage>> park(
            Queue queue, int maxNumberOfMessages, long visibilityTimeoutMillis, long deadlineMillis) {
        CompletableFuture<List<ReceivedMessage>> parked = new CompletableFuture<>();
        queue.waiters.park(new Waiter(maxNumberOfMessages, visibilityTimeoutMillis, deadlineMillis, parked));
        scheduleWake(queue, Math.min(deadlineMillis, queue.nextVisibleAtMillis()));
        return parked;
    }

    /** Makes committed messages receivable and hands them to parked receives. */
    @Override
    public void deliver(Queue queue, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        long now = clock.millis();
        boolean serve;
        synchronized (queue) {
            if (queue.deleted) {
                queue.account.add(-messages.size());
                return;
            }
            for (Message message : messages) {
                if (bodiesInStore) {
                    message.releaseBody();
                }
                queue.addReserved(message, now);
            }
            serve = !queue.waiters.isEmpty();
        }
        if (serve) {
            serve(queue);
        }
    }

    /** Hands receivable messages to parked receives, ends the ones whose wait is over, and sets the next wake-up. */
    void serve(Queue queue) {
        Transition transition = transition(clock.millis(), 1);
        long now = transition.now;
        Map<Waiter, List<ReceivedMessage>> served = new LinkedHashMap<>();
        List<Waiter> timedOut;
        CompletionStage<Void> committed;
        synchronized (queue) {
            // As in receive: a message past the retention period is gone, even if it only now becomes visible.
            transition.expire(queue);
            queue.promote(now);
            while (queue.hasReceivable()) {
                Waiter waiter = queue.waiters.next();
                if (waiter == null) {
                    break;
                }
                List<ReceivedMessage> received = redrive.claim(
                        queue, waiter.maxNumberOfMessages(), waiter.visibilityTimeoutMillis(), transition);
                if (received.isEmpty()) {
                    // Everything receivable went to the dead-letter queue: this waiter keeps waiting.
                    queue.waiters.putBack(waiter);
                } else {
                    served.put(waiter, received);
                }
            }
            timedOut = queue.waiters.takeTimedOut(now);
            queue.activity.emptyReceives += timedOut.size();
            if (!queue.waiters.isEmpty()) {
                scheduleWake(queue, Math.min(queue.waiters.earliestDeadline(), queue.nextVisibleAtMillis()));
            }
            committed = transition.commit();
        }
        transition.runAfterCommit();
        timedOut.forEach(waiter -> waiter.result().complete(List.of()));
        answerAfter(committed, served);
    }

    /** Just-sent messages handed to parked receives before their commit, and what each receive got. */
    record HandOff(List<Message> messages, Map<Waiter, List<ReceivedMessage>> served) {
        static final HandOff NONE = new HandOff(List.of(), Map.of());

        /** The sent messages that were not handed off. */
        List<Message> rest(List<Message> created) {
            if (messages.isEmpty()) {
                return created;
            }
            List<Message> rest = new ArrayList<>(created);
            rest.removeAll(messages);
            return rest;
        }
    }

    /**
     * Standard queues: hands just-sent messages straight to parked long polls and records their delivery in the
     * send's own commit, so such a receive waits for one sync instead of two (the send's, then its own). Like the
     * send, those receives answer only once the commit is done ({@link #answerAfter}); until then the messages are in
     * flight, so no one else can receive them, and a failed commit takes them out again. Only when nothing else is
     * receivable (older messages go first, through {@link #serve}), and only messages without a delay. FIFO queues
     * keep the ordinary path: a group's order and its in-flight rule are decided there. So do messages with a group on
     * a standard queue (a fair queue), whose order among the ready ones {@link Queue#claim} decides. Called holding
     * the queue's lock.
     */
    HandOff handOff(Queue queue, List<Message> created, Transition transition) {
        if (queue.settings.fifo() || queue.waiters.isEmpty() || created.isEmpty()) {
            return HandOff.NONE;
        }
        for (Message message : created) {
            if (message.group() != null) {
                return HandOff.NONE;
            }
        }
        long now = transition.now;
        queue.promote(now);
        if (queue.visibleCount() > 0) {
            return HandOff.NONE;
        }
        List<Message> handed = new ArrayList<>(created.size());
        Map<Waiter, List<ReceivedMessage>> served = new LinkedHashMap<>();
        int next = 0;
        while (next < created.size()) {
            Waiter waiter = queue.waiters.next();
            if (waiter == null) {
                break;
            }
            int taken = 0;
            for (; next < created.size() && taken < waiter.maxNumberOfMessages(); next++) {
                Message message = created.get(next);
                if (message.visibleAtMillis <= now) {
                    queue.addReserved(message, now);
                    handed.add(message);
                    taken++;
                }
            }
            if (taken == 0) {
                queue.waiters.putBack(waiter);
                break;
            }
            // Ready held nothing else, and fresh messages are never past a maxReceiveCount: this claims exactly them.
            served.put(waiter, redrive.claim(queue, taken, waiter.visibilityTimeoutMillis(), transition));
        }
        if (handed.isEmpty()) {
            return HandOff.NONE;
        }
        if (!queue.waiters.isEmpty()) {
            scheduleWake(queue, queue.nextVisibleAtMillis());
        }
        return new HandOff(handed, served);
    }

    /** Completes parked receives with what they were given once the commit recording it is done. */
    void answerAfter(CompletionStage<Void> committed, Map<Waiter, List<ReceivedMessage>> served) {
        if (!served.isEmpty()) {
            committed.whenComplete((done, failure) -> served.forEach((waiter, messages) -> {
                if (failure == null) {
                    waiter.result().complete(messages);
                } else {
                    waiter.result().completeExceptionally(failure);
                }
            }));
        }
    }

    /**
     * FIFO: deleting a group's in-flight message may make the group's next message receivable at once, so parked long
     * polls are served now rather than at their deadline (standard queues park only when nothing is receivable, which a
     * delete does not change). Called holding the queue's lock.
     */
    static boolean unblockedByDelete(Queue queue) {
        return queue.settings.fifo() && !queue.waiters.isEmpty();
    }

    /** Whether the server is stopping ({@link #endAll(Collection)}): receives no longer park. */
    boolean ended() {
        return ended;
    }

    /**
     * Answers every parked long poll with no messages, as SQS answers a wait that ends empty, and parks no more: a
     * stopping server lets its clients go (and poll again elsewhere) instead of holding them until their wait is over.
     * Returns how many polls it answered.
     */
    int endAll(Collection<Queue> queues) {
        ended = true;
        List<Waiter> waiting = new ArrayList<>();
        for (Queue queue : queues) {
            synchronized (queue) {
                List<Waiter> ended = queue.waiters.takeAll();
                queue.activity.emptyReceives += ended.size();
                waiting.addAll(ended);
            }
        }
        return (int) waiting.stream()
                .filter(waiter -> waiter.result().complete(List.of()))
                .count();
    }

    /** Ends every receive parked on a deleted queue, empty. Called after releasing its lock. */
    static void endAll(List<Waiter> waiters) {
        waiters.forEach(waiter -> waiter.result().complete(List.of()));
    }

    private void scheduleWake(Queue queue, long atMillis) {
        if (queue.waiters.wakesBy(atMillis)) {
            return;
        }
        queue.waiters.wakeAt(atMillis, scheduler.schedule(Instant.ofEpochMilli(atMillis), () -> {
            synchronized (queue) {
                queue.waiters.woken();
            }
            serve(queue);
        }));
    }
}
