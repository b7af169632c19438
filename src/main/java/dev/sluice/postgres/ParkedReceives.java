package dev.sluice.postgres;

import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.Scheduler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Long polls parked on this replica: no thread and no connection held while they wait. A poll claims when it parks,
 * whenever its queue is woken ({@link #wake}: a send, a visibility change or delete that may free messages, on this
 * replica or, through {@link Wakeups}, another), on a fallback timer every {@link #FALLBACK} from the park (messages
 * whose delay or visibility timeout runs out, a notification lost) and at its deadline, when it answers empty. Each claim is the
 * ordinary {@code SKIP LOCKED} one, so a wake-up that reaches several polls, on several replicas, hands each message to
 * one.
 */
final class ParkedReceives {
    static final Duration FALLBACK = Duration.ofSeconds(1);

    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Map<Long, Set<Poll>> byQueue = new ConcurrentHashMap<>();
    private final AtomicInteger claimsRunning = new AtomicInteger();
    private volatile boolean ended;

    ParkedReceives(InstantSource clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /**
     * Parks a receive on queue {@code queueId} until {@code deadline} (epoch ms): {@code claim} is tried now and on
     * every wake-up until it returns messages. {@code giveBack} gets what a claim returned after the poll was answered
     * (ended meanwhile), so those messages are not hidden for nobody.
     */
    CompletionStage<List<ReceivedMessage>> park(
            long queueId,
            long deadline,
            Supplier<Future<List<ReceivedMessage>>> claim,
            Consumer<List<ReceivedMessage>> giveBack) {
        Poll poll = new Poll(queueId, deadline, claim, giveBack);
        if (ended) {
            return CompletableFuture.completedFuture(List.of());
        }
        byQueue.computeIfAbsent(queueId, id -> ConcurrentHashMap.newKeySet()).add(poll);
        poll.tickAfter(clock.millis());
        poll.attempt();
        return poll.answer;
    }

    /** Whether polls are parked on the queue (its wake-up channel is worth listening to). */
    boolean waitingOn(long queueId) {
        Set<Poll> polls = byQueue.get(queueId);
        return polls != null && !polls.isEmpty();
    }

    boolean ended() {
        return ended;
    }

    /** Whether no parked poll is claiming at the moment (tests wait for it after moving a fake clock). */
    boolean idle() {
        return claimsRunning.get() == 0;
    }

    /** Something may have become receivable on the queue: its parked polls claim again. */
    void wake(long queueId) {
        Set<Poll> polls = byQueue.get(queueId);
        if (polls != null) {
            polls.forEach(Poll::attempt);
        }
    }

    /** Answers every poll parked on the queue with no messages (the queue was deleted). */
    void endQueue(long queueId) {
        Set<Poll> polls = byQueue.remove(queueId);
        if (polls != null) {
            polls.forEach(poll -> poll.finish(List.of()));
        }
    }

    /** The server is stopping: answers every parked poll empty and parks no more; returns how many. */
    int endAll() {
        ended = true;
        List<Poll> all = new ArrayList<>();
        byQueue.values().forEach(all::addAll);
        int answered = 0;
        for (Poll poll : all) {
            if (poll.finish(List.of())) {
                answered++;
            }
        }
        return answered;
    }

    private final class Poll {
        final long queueId;
        final long deadline;
        final Supplier<Future<List<ReceivedMessage>>> claim;
        final Consumer<List<ReceivedMessage>> giveBack;
        final CompletableFuture<List<ReceivedMessage>> answer = new CompletableFuture<>();
        final AtomicBoolean claiming = new AtomicBoolean();
        volatile boolean again;
        volatile Scheduler.Cancellable timer;

        Poll(
                long queueId,
                long deadline,
                Supplier<Future<List<ReceivedMessage>>> claim,
                Consumer<List<ReceivedMessage>> giveBack) {
            this.queueId = queueId;
            this.deadline = deadline;
            this.claim = claim;
            this.giveBack = giveBack;
        }

        void attempt() {
            if (answer.isDone()) {
                return;
            }
            if (!claiming.compareAndSet(false, true)) {
                again = true;
                return;
            }
            again = false;
            claimsRunning.incrementAndGet();
            Future<List<ReceivedMessage>> claimed;
            try {
                claimed = claim.get();
            } catch (RuntimeException e) {
                claimed = Future.failedFuture(e);
            }
            claimed.onComplete(result -> {
                try {
                    settle(result);
                } finally {
                    claimsRunning.decrementAndGet();
                }
            });
        }

        /** After a claim: answers with what it got, or at the deadline; else claims again if woken, or waits. */
        private void settle(AsyncResult<List<ReceivedMessage>> result) {
            claiming.set(false);
            if (result.failed()) {
                if (finishFailed(result.cause())) {
                    return;
                }
            } else if (!result.result().isEmpty()) {
                if (!finish(result.result())) {
                    giveBack.accept(result.result());
                }
                return;
            }
            if (clock.millis() >= deadline) {
                finish(List.of());
            } else if (again) {
                attempt();
            }
        }

        /**
         * The fallback: a claim every {@link #FALLBACK} from the park, on a fixed grid whatever the claims take, and
         * one at the deadline, after which an empty claim answers the poll.
         */
        void tickAfter(long previous) {
            long at = Math.min(previous + FALLBACK.toMillis(), deadline);
            timer = scheduler.schedule(Instant.ofEpochMilli(at), () -> {
                if (at < deadline) {
                    tickAfter(at);
                }
                attempt();
            });
            if (answer.isDone()) {
                timer.cancel();
            }
        }

        boolean finish(List<ReceivedMessage> messages) {
            boolean answered = answer.complete(messages);
            if (answered) {
                done();
            }
            return answered;
        }

        boolean finishFailed(Throwable failure) {
            boolean answered = answer.completeExceptionally(failure);
            if (answered) {
                done();
            }
            return answered;
        }

        private void done() {
            Scheduler.Cancellable current = timer;
            if (current != null) {
                current.cancel();
            }
            Set<Poll> polls = byQueue.get(queueId);
            if (polls != null) {
                polls.remove(this);
            }
        }
    }
}
