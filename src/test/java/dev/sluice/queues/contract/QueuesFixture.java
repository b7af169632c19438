package dev.sluice.queues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import dev.sluice.queues.testkit.CountingIds;
import dev.sluice.queues.testkit.FakeClock;
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
 * {@link QueuesBackend}, so the same cases run on every backend ({@link QueuesContract}). A stage a test expects to
 * stay open (a parked long poll) is returned as a future to check with {@code isDone()}; {@link #join} waits a bounded
 * time for the rest.
 */
public final class QueuesFixture implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";

    public final FakeClock clock;
    public final Queues queues;
    private final QueuesBackend backend;
    private final IdSource ids;
    private final Strictness strictness;

    /** A new backend of the kind, with state of its own. */
    public QueuesFixture(Backend backend) {
        this(backend.open());
    }

    public QueuesFixture(QueuesBackend backend) {
        this(backend, new FakeClock(), new CountingIds(), Strictness.LENIENT);
    }

    private QueuesFixture(QueuesBackend backend, FakeClock clock, IdSource ids, Strictness strictness) {
        this.backend = backend;
        this.clock = clock;
        this.ids = ids;
        this.strictness = strictness;
        this.queues = backend.open(clock, ids, strictness);
        clock.afterEachTask(backend::settle);
    }

    /** A new backend of the kind, enforcing AWS's 60-second purge and re-create rules. */
    public static QueuesFixture strict(Backend backend) {
        return new QueuesFixture(backend.open(), new FakeClock(), new CountingIds(), Strictness.STRICT);
    }

    @Override
    public void close() {
        backend.close();
    }

    /**
     * The backend as a restarted server finds it, at the same instant, with the same ids going on and none of the
     * old one's timers. The old fixture must not be used any more.
     */
    public QueuesFixture restart() {
        return restartAt(clock.instant());
    }

    /** As {@link #restart()}, with the clock at {@code instant}. */
    public QueuesFixture restartAt(Instant instant) {
        backend.restart();
        return new QueuesFixture(backend, new FakeClock(instant), ids, strictness);
    }

    public static QueueKey key(String name) {
        return new QueueKey("us-east-1", ACCOUNT, name);
    }

    /** The queue's ARN in the default region. */
    public static String arn(QueueKey queue) {
        return "arn:aws:sqs:us-east-1:" + queue.accountId() + ":" + queue.name();
    }

    /** The attributes of a queue that dead-letters into {@code target} after {@code maxReceiveCount} receives. */
    public static Map<String, String> redrive(QueueKey target, Object maxReceiveCount) {
        return Map.of(
                "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arn(target) + "\",\"maxReceiveCount\":" + maxReceiveCount + "}");
    }

    public QueueKey createQueue(String name) {
        return createQueue(name, Map.of());
    }

    public QueueKey createQueue(String name, Map<String, String> attributes) {
        QueueKey key = key(name);
        join(queues.createQueue(key, attributes, Map.of()));
        return key;
    }

    public static NewMessage message(String body) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "sender");
    }

    public static NewMessage message(String body, Duration delay) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.of(delay), "sender");
    }

    public static NewMessage message(String body, Map<String, MessageAttribute> attributes) {
        return new NewMessage(body, attributes, Map.of(), Optional.empty(), "sender");
    }

    public static MessageAttribute string(String value) {
        return new MessageAttribute("String", value, null);
    }

    public static MessageAttribute attribute(String dataType, String value) {
        return new MessageAttribute(dataType, value, null);
    }

    public static MessageAttribute binary(byte... value) {
        return new MessageAttribute("Binary", null, value);
    }

    public SentMessage send(QueueKey queue, NewMessage message) {
        return join(queues.send(queue, message));
    }

    public String send(QueueKey queue, String body) {
        return send(queue, message(body)).messageId();
    }

    /** A short poll with the queue's visibility timeout. */
    public List<ReceivedMessage> receive(QueueKey queue, int max) {
        return join(queues.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.of(Duration.ZERO))));
    }

    /** A short poll that hides what it returns for the given visibility timeout. */
    public List<ReceivedMessage> receive(QueueKey queue, int max, Duration visibilityTimeout) {
        return join(queues.receive(
                queue, new ReceiveOptions(max, Optional.of(visibilityTimeout), Optional.of(Duration.ZERO))));
    }

    public ReceivedMessage receiveOne(QueueKey queue) {
        List<ReceivedMessage> received = receive(queue, 1);
        assertThat(received).hasSize(1);
        return received.getFirst();
    }

    public CompletableFuture<List<ReceivedMessage>> longPoll(QueueKey queue, int max, Duration waitTime) {
        return queues.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.of(waitTime)))
                .toCompletableFuture();
    }

    public QueueInfo info(QueueKey queue) {
        return join(queues.describe(queue));
    }

    /** Visible, in flight, delayed: GetQueueAttributes' three ApproximateNumberOfMessages* counts. */
    public List<Integer> counts(QueueKey queue) {
        QueueInfo info = info(queue);
        return List.of(info.visible(), info.inFlight(), info.delayed());
    }

    /**
     * The result of a stage: at once on the in-memory store, which completes every stage at once; on a file store
     * after its fsync (bounded, so a stage that never completes fails the test instead of hanging it).
     */
    public static <T> T join(CompletionStage<T> stage) {
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
    public static QueueError errorOf(Supplier<? extends CompletionStage<?>> call) {
        return failureOf(call).error();
    }

    /** As {@link #errorOf}, the exception itself (its message). */
    public static QueueException failureOf(Supplier<? extends CompletionStage<?>> call) {
        try {
            join(call.get());
        } catch (QueueException e) {
            return e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof QueueException queueException) {
                return queueException;
            }
            throw e;
        }
        return fail("expected the call to fail with a QueueException");
    }
}
