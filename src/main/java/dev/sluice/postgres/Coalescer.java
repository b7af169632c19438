package dev.sluice.postgres;

import dev.sluice.queues.Scheduler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Group commit at the statement level: requests of one key that arrive while earlier statements of that key are still
 * in the database wait, and go out together as one merged statement (one transaction, one commit, one walk of the
 * index) as soon as one of those statements completes; the merged result is split back to each request. There is no
 * timer and no added latency: a request goes out at once while fewer than {@code mergeFrom} statements of its key are
 * in flight, so a lone request never waits.
 *
 * <p>Rules: requests merge in arrival order, at most {@code maxRequests} of them and at most {@code maxWeight} in
 * total weight per statement (a request heavier than that still goes, alone); each request gets the answer at its
 * own position of the statement's answer list. A statement that fails, throws or answers with the wrong number of
 * answers fails every request in it with that error, and the requests waiting behind it go out all the same. A
 * statement in flight longer than {@code staleAfterMillis} stops holding others back: the requests waiting behind it go out
 * then, so a request never waits on a statement that never answers (a database that stopped answering). Thread-safe: each key's lane is locked only to count and
 * take requests, never while a statement runs or an answer is delivered.
 */
final class Coalescer<K, Q, A> {
    /** How to merge: see the class comment. */
    record Limits(int mergeFrom, int maxRequests, int maxWeight, long staleAfterMillis) {
        Limits {
            if (mergeFrom < 1 || maxRequests < 1 || maxWeight < 1 || staleAfterMillis < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Limits limits;
    private final ToIntFunction<Q> weight;
    private final Function<List<Q>, Future<List<A>>> statement;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Map<K, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * {@code statement} runs requests of one key as one statement and answers each, in their order; {@code weight} is
     * a request's share of {@link Limits#maxWeight}; {@code clock} and {@code scheduler} time the stale
     * statements.
     */
    Coalescer(
            Limits limits,
            ToIntFunction<Q> weight,
            Function<List<Q>, Future<List<A>>> statement,
            InstantSource clock,
            Scheduler scheduler) {
        this.limits = limits;
        this.weight = weight;
        this.statement = statement;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Runs the request, alone or merged with others of its key; completes with its own answer. */
    Future<A> submit(K key, Q request) {
        Waiting<Q, A> waiting = new Waiting<>(request, Promise.promise());
        Lane lane;
        Flight<Q, A> flight;
        while (true) {
            lane = lanes.computeIfAbsent(key, Lane::new);
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                lane.waiting.add(waiting);
                flight = lane.next();
                break;
            }
        }
        if (flight != null) {
            launch(lane, flight);
        }
        return waiting.answer.future();
    }

    /** How many keys have requests in flight or waiting (tests). */
    int busyKeys() {
        return lanes.size();
    }

    private void launch(Lane lane, Flight<Q, A> flight) {
        List<Q> requests = new ArrayList<>(flight.batch.size());
        for (Waiting<Q, A> each : flight.batch) {
            requests.add(each.request);
        }
        Future<List<A>> answers;
        try {
            answers = statement.apply(requests);
        } catch (RuntimeException e) {
            answers = Future.failedFuture(e);
        }
        answers.onComplete(result -> {
            Flight<Q, A> next;
            synchronized (lane) {
                lane.flights.remove(flight);
                next = lane.next();
            }
            if (next != null) {
                launch(lane, next);
            }
            answer(flight.batch, result);
        });
    }

    private static <Q, A> void answer(List<Waiting<Q, A>> batch, AsyncResult<List<A>> result) {
        Throwable failure = result.failed() ? result.cause() : null;
        List<A> answers = result.succeeded() ? result.result() : null;
        if (failure == null && (answers == null || answers.size() != batch.size())) {
            failure = new IllegalStateException("a merged statement answered "
                    + (answers == null ? "nothing" : answers.size() + " times") + " for " + batch.size()
                    + " requests");
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failure != null) {
                batch.get(i).answer.tryFail(failure);
            } else {
                batch.get(i).answer.tryComplete(answers.get(i));
            }
        }
    }

    private record Waiting<Q, A>(Q request, Promise<A> answer) {}

    /** A statement in flight (compared by identity). */
    private static final class Flight<Q, A> {
        final List<Waiting<Q, A>> batch;
        final long startedAt;

        Flight(List<Waiting<Q, A>> batch, long startedAt) {
            this.batch = batch;
            this.startedAt = startedAt;
        }
    }

    /** One key's statements in flight and requests waiting; guarded by its own monitor. */
    private final class Lane {
        final K key;
        final ArrayDeque<Waiting<Q, A>> waiting = new ArrayDeque<>();
        final List<Flight<Q, A>> flights = new ArrayList<>(2);
        boolean retired;
        Scheduler.Cancellable recheck;

        Lane(K key) {
            this.key = key;
        }

        /** Once the oldest statement in flight turns stale: the requests waiting behind it go out. */
        void recheckStale() {
            Flight<Q, A> flight;
            synchronized (this) {
                recheck = null;
                flight = next();
            }
            if (flight != null) {
                launch(this, flight);
            }
        }

        /** The next statement to run, taken off the waiting requests (and counted in flight), or null. */
        Flight<Q, A> next() {
            if (waiting.isEmpty()) {
                if (flights.isEmpty()) {
                    if (recheck != null) {
                        recheck.cancel();
                        recheck = null;
                    }
                    retired = true;
                    lanes.remove(key, this);
                }
                return null;
            }
            long now = clock.millis();
            int fresh = 0;
            long staleAt = Long.MAX_VALUE;
            for (Flight<Q, A> flight : flights) {
                if (now - flight.startedAt < limits.staleAfterMillis()) {
                    fresh++;
                    staleAt = Math.min(staleAt, flight.startedAt + limits.staleAfterMillis());
                }
            }
            if (fresh >= limits.mergeFrom()) {
                if (recheck == null) {
                    recheck = scheduler.schedule(Instant.ofEpochMilli(staleAt), this::recheckStale);
                }
                return null;
            }
            List<Waiting<Q, A>> batch = new ArrayList<>(Math.min(waiting.size(), limits.maxRequests()));
            int total = 0;
            while (!waiting.isEmpty() && batch.size() < limits.maxRequests()) {
                int next = weight.applyAsInt(waiting.peekFirst().request);
                if (!batch.isEmpty() && total + next > limits.maxWeight()) {
                    break;
                }
                batch.add(waiting.pollFirst());
                total += next;
            }
            Flight<Q, A> flight = new Flight<>(batch, now);
            flights.add(flight);
            return flight;
        }
    }
}
