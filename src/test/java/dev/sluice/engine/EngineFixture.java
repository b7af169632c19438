package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.engine.testkit.CountingIds;
import dev.sluice.engine.testkit.FakeClock;
import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.rules.Strictness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One real backend on a fake clock, plus shorthand for the calls the behaviour tests repeat. The backend comes from a
 * {@link QueuesBackend} (the embedded engine on an in-memory store unless a test names another), so the same cases can
 * run on every backend. On the in-memory store every stage completes synchronously, so {@link #join} never blocks
 * there; a stage a test expects to stay open (a parked long poll) is returned as a future to check with {@code
 * isDone()}.
 */
final class EngineFixture {
    static final String ACCOUNT = "000000000000";

    final FakeClock clock;
    final Queues queues;
    private final QueuesBackend backend;
    private final IdSource ids;
    private final Strictness strictness;

    /** The embedded engine on an in-memory store. */
    EngineFixture() {
        this(QueuesBackend.embedded(StoreRig.inMemory()));
    }

    EngineFixture(QueuesBackend backend) {
        this(backend, new FakeClock(), new CountingIds(), Strictness.LENIENT);
    }

    private EngineFixture(QueuesBackend backend, FakeClock clock, IdSource ids, Strictness strictness) {
        this.backend = backend;
        this.clock = clock;
        this.ids = ids;
        this.strictness = strictness;
        this.queues = backend.open(clock, ids, strictness);
    }

    /** The embedded engine on an in-memory store, enforcing AWS's 60-second purge and re-create rules. */
    static EngineFixture strict() {
        return new EngineFixture(
                QueuesBackend.embedded(StoreRig.inMemory()), new FakeClock(), new CountingIds(), Strictness.STRICT);
    }

    /**
     * The backend as a restarted server finds it, at the same instant, with the same ids going on and none of the
     * old one's timers. The old fixture must not be used any more.
     */
    EngineFixture restart() {
        return restartAt(clock.instant());
    }

    /** As {@link #restart()}, with the clock at {@code instant}. */
    EngineFixture restartAt(Instant instant) {
        backend.restart();
        return new EngineFixture(backend, new FakeClock(instant), ids, strictness);
    }

    static QueueKey key(String name) {
        return new QueueKey("us-east-1", ACCOUNT, name);
    }

    QueueKey createQueue(String name) {
        return createQueue(name, Map.of());
    }

    QueueKey createQueue(String name, Map<String, String> attributes) {
        QueueKey key = key(name);
        join(queues.createQueue(key, attributes, Map.of()));
        return key;
    }

    static NewMessage message(String body) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "sender");
    }

    static NewMessage message(String body, Duration delay) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.of(delay), "sender");
    }

    static NewMessage message(String body, Map<String, MessageAttribute> attributes) {
        return new NewMessage(body, attributes, Map.of(), Optional.empty(), "sender");
    }

    static MessageAttribute string(String value) {
        return new MessageAttribute("String", value, null);
    }

    static MessageAttribute attribute(String dataType, String value) {
        return new MessageAttribute(dataType, value, null);
    }

    static MessageAttribute binary(byte... value) {
        return new MessageAttribute("Binary", null, value);
    }

    SentMessage send(QueueKey queue, NewMessage message) {
        return join(queues.send(queue, message));
    }

    String send(QueueKey queue, String body) {
        return send(queue, message(body)).messageId();
    }

    /** A short poll with the queue's visibility timeout. */
    List<ReceivedMessage> receive(QueueKey queue, int max) {
        return join(queues.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.of(Duration.ZERO))));
    }

    /** A short poll that hides what it returns for the given visibility timeout. */
    List<ReceivedMessage> receive(QueueKey queue, int max, Duration visibilityTimeout) {
        return join(queues.receive(
                queue, new ReceiveOptions(max, Optional.of(visibilityTimeout), Optional.of(Duration.ZERO))));
    }

    ReceivedMessage receiveOne(QueueKey queue) {
        List<ReceivedMessage> received = receive(queue, 1);
        assertThat(received).hasSize(1);
        return received.getFirst();
    }

    CompletableFuture<List<ReceivedMessage>> longPoll(QueueKey queue, int max, Duration waitTime) {
        return queues.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.of(waitTime)))
                .toCompletableFuture();
    }

    QueueInfo info(QueueKey queue) {
        return join(queues.describe(queue));
    }

    /** Visible, in flight, delayed: GetQueueAttributes' three ApproximateNumberOfMessages* counts. */
    List<Integer> counts(QueueKey queue) {
        QueueInfo info = info(queue);
        return List.of(info.visible(), info.inFlight(), info.delayed());
    }

    /**
     * The result of a stage: at once on the in-memory store, which completes every stage at once; on a file store
     * after its fsync (bounded, so a stage that never completes fails the test instead of hanging it).
     */
    static <T> T join(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new java.util.concurrent.CompletionException(e.getCause());
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            throw new AssertionError("the stage did not complete within 10 s", e);
        }
    }

    /**
     * The error an engine call fails with, whether it throws at once (validation before any state changes) or fails
     * its stage (ChangeMessageVisibility reports per-entry outcomes and fails the stage).
     */
    static QueueError errorOf(Supplier<? extends CompletionStage<?>> call) {
        try {
            join(call.get());
        } catch (QueueException e) {
            return e.error();
        } catch (CompletionException e) {
            if (e.getCause() instanceof QueueException queueException) {
                return queueException.error();
            }
            throw e;
        }
        return fail("expected the call to fail with a QueueException");
    }
}
