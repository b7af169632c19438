package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The merge rules of {@link Coalescer}, on a statement whose answers the test gives by hand: who goes out at once, who
 * waits and merges, in which order, how answers and failures are split back.
 */
class CoalescerTest {
    private static final Coalescer.Limits ONE_IN_FLIGHT = new Coalescer.Limits(1, 3, 25, 1_000);

    private final FakeClock clock = new FakeClock();
    /** Every statement run, as the requests it merged, with the promise that answers it. */
    private final List<List<Integer>> statements = new ArrayList<>();

    private final List<Promise<List<String>>> pending = new ArrayList<>();

    private Coalescer<String, Integer, String> coalescer(Coalescer.Limits limits) {
        return new Coalescer<>(
                limits,
                request -> request,
                requests -> {
                    statements.add(List.copyOf(requests));
                    Promise<List<String>> answer = Promise.promise();
                    pending.add(answer);
                    return answer.future();
                },
                clock,
                clock);
    }

    /** Answers statement {@code i} with "r<request>" for each of its requests. */
    private void answer(int i) {
        pending.get(i)
                .complete(
                        statements.get(i).stream().map(request -> "r" + request).toList());
    }

    @Test
    void aLoneRequestGoesOutAtOnceAndGetsItsAnswer() {
        var coalescer = coalescer(ONE_IN_FLIGHT);

        Future<String> answer = coalescer.submit("q", 7);

        assertThat(statements).containsExactly(List.of(7));
        answer(0);
        assertThat(answer.result()).isEqualTo("r7");
        assertThat(coalescer.busyKeys()).isZero();
    }

    @Test
    void requestsArrivingWhileOneIsInFlightMergeInArrivalOrderAndEachGetsItsOwnAnswer() {
        var coalescer = coalescer(ONE_IN_FLIGHT);
        Future<String> first = coalescer.submit("q", 1);
        Future<String> second = coalescer.submit("q", 2);
        Future<String> third = coalescer.submit("q", 3);

        assertThat(statements).containsExactly(List.of(1));
        answer(0);

        assertThat(first.result()).isEqualTo("r1");
        assertThat(second.isComplete()).isFalse();
        assertThat(statements).containsExactly(List.of(1), List.of(2, 3));
        answer(1);
        assertThat(List.of(second.result(), third.result())).containsExactly("r2", "r3");
    }

    @Test
    void aMergedStatementTakesAtMostMaxRequestsAndMaxWeight() {
        var coalescer = coalescer(ONE_IN_FLIGHT);
        coalescer.submit("q", 1);
        List<Future<String>> waiting = new ArrayList<>();
        for (int request : new int[] {2, 3, 4, 5, 10, 10, 6, 30}) {
            waiting.add(coalescer.submit("q", request));
        }

        for (int i = 0; i < 5; i++) {
            answer(i);
        }

        // At most 3 requests; at most 25 in weight; a request heavier than that alone.
        assertThat(statements)
                .containsExactly(List.of(1), List.of(2, 3, 4), List.of(5, 10, 10), List.of(6), List.of(30));
        assertThat(waiting).allSatisfy(answer -> assertThat(answer.succeeded()).isTrue());
    }

    @Test
    void differentKeysNeverMerge() {
        var coalescer = coalescer(ONE_IN_FLIGHT);
        coalescer.submit("a", 1);
        coalescer.submit("b", 2);
        coalescer.submit("a", 3);
        coalescer.submit("b", 4);

        assertThat(statements).containsExactly(List.of(1), List.of(2));
        answer(1);
        assertThat(statements).containsExactly(List.of(1), List.of(2), List.of(4));
    }

    @Test
    void withMergeFromTwoTwoStatementsRunSideBySideBeforeAnyMerging() {
        var coalescer = coalescer(new Coalescer.Limits(2, 10, 100, 1_000));
        coalescer.submit("q", 1);
        coalescer.submit("q", 2);
        coalescer.submit("q", 3);
        coalescer.submit("q", 4);

        assertThat(statements).containsExactly(List.of(1), List.of(2));
        answer(1);
        assertThat(statements).containsExactly(List.of(1), List.of(2), List.of(3, 4));
    }

    @Test
    void aFailedStatementFailsEachOfItsRequestsWithItsErrorAndTheNextOnesStillGoOut() {
        var coalescer = coalescer(ONE_IN_FLIGHT);
        Future<String> first = coalescer.submit("q", 1);
        Future<String> second = coalescer.submit("q", 2);
        Future<String> third = coalescer.submit("q", 3);
        answer(0);
        Future<String> fourth = coalescer.submit("q", 4);

        IllegalStateException down = new IllegalStateException("database down");
        pending.get(1).fail(down);

        assertThat(first.succeeded()).isTrue();
        assertThat(second.cause()).isSameAs(down);
        assertThat(third.cause()).isSameAs(down);
        assertThat(statements.getLast()).containsExactly(4);
        answer(2);
        assertThat(fourth.result()).isEqualTo("r4");
    }

    @Test
    void aStatementThatThrowsOrMiscountsFailsItsRequestsAndNothingIsLeftWaiting() {
        AtomicInteger runs = new AtomicInteger();
        Coalescer<String, Integer, String> coalescer = new Coalescer<>(
                ONE_IN_FLIGHT,
                request -> 1,
                requests -> switch (runs.getAndIncrement()) {
                    case 0 -> throw new IllegalArgumentException("cannot encode");
                    case 1 -> Future.succeededFuture(List.of("only one"));
                    default ->
                        Future.succeededFuture(
                                requests.stream().map(r -> "r" + r).toList());
                },
                clock,
                clock);

        Future<String> thrown = coalescer.submit("q", 1);
        assertThat(thrown.cause()).isInstanceOf(IllegalArgumentException.class);
        Promise<List<String>> hold = Promise.promise();
        Coalescer<String, Integer, String> held = new Coalescer<>(
                ONE_IN_FLIGHT,
                request -> 1,
                requests -> requests.getFirst() == 0 ? hold.future() : Future.succeededFuture(List.of("only one")),
                clock,
                clock);
        held.submit("q", 0);
        Future<String> a = held.submit("q", 1);
        Future<String> b = held.submit("q", 2);
        hold.complete(List.of("r0"));

        assertThat(a.cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("answered 1 times");
        assertThat(b.cause()).isSameAs(a.cause());
        assertThat(held.busyKeys()).isZero();
    }

    @Test
    void requestsWaitingBehindAStatementThatNeverAnswersGoOutOnceItIsStale() {
        var coalescer = coalescer(ONE_IN_FLIGHT);
        coalescer.submit("q", 1);
        Future<String> waiting = coalescer.submit("q", 2);

        clock.advance(Duration.ofMillis(999));
        assertThat(statements).hasSize(1);
        clock.advance(Duration.ofMillis(1));

        assertThat(statements).containsExactly(List.of(1), List.of(2));
        answer(1);
        assertThat(waiting.result()).isEqualTo("r2");
        // A request arriving now does not wait on the stale one either.
        Future<String> later = coalescer.submit("q", 3);
        assertThat(statements.getLast()).containsExactly(3);
        answer(2);
        assertThat(later.result()).isEqualTo("r3");
    }

    @Test
    void requestsFromManyThreadsAreEachAnsweredOnceWithTheirOwnAnswer() throws Exception {
        ExecutorService database = Executors.newFixedThreadPool(2);
        AtomicInteger merged = new AtomicInteger();
        Coalescer<Integer, Integer, String> coalescer = new Coalescer<>(
                new Coalescer.Limits(1, 10, 100, 60_000),
                request -> 1,
                requests -> {
                    if (requests.size() > 1) {
                        merged.incrementAndGet();
                    }
                    Promise<List<String>> answer = Promise.promise();
                    database.execute(() ->
                            answer.complete(requests.stream().map(r -> "r" + r).toList()));
                    return answer.future();
                },
                clock,
                clock);
        int threads = 8;
        int each = 2_000;
        ConcurrentHashMap<Integer, String> answers = new ConcurrentHashMap<>();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads * each);
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            clients.execute(() -> {
                for (int i = 0; i < each; i++) {
                    int request = thread * each + i;
                    coalescer.submit(request % 3, request).onComplete(result -> {
                        if (!result.succeeded()
                                || !result.result().equals("r" + request)
                                || answers.put(request, result.result()) != null) {
                            wrong.incrementAndGet();
                        }
                        done.countDown();
                    });
                }
            });
        }

        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        clients.shutdown();
        database.shutdown();
        assertThat(wrong).hasValue(0);
        assertThat(answers).hasSize(threads * each);
        assertThat(merged.get()).isPositive();
        assertThat(coalescer.busyKeys()).isZero();
    }
}
