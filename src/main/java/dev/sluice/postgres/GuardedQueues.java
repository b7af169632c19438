package dev.sluice.postgres;

import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MessagePage;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.VisibilityChange;
import dev.sluice.queues.rules.QueueSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL backend as the handlers see it: every operation of {@link PostgresQueues}, with two guarantees added
 * while the database is unreachable. A failure that {@link DatabaseOutage} recognises (connection refused or reset,
 * the server shutting down or starting, too many connections) is answered {@code ServiceUnavailable} instead of an
 * internal failure, and no operation waits longer than {@link #BOUND} (a receive: its wait time plus that; the
 * operation itself may still finish later, as one whose connection broke after its {@code COMMIT} was sent), so a
 * database that stops answering cannot hold a request. What a refusal of the rules throws, before or after the
 * database, passes unchanged.
 */
public final class GuardedQueues implements Queues {
    /**
     * How long an operation may take before it is answered {@code ServiceUnavailable}: more than any healthy statement
     * needs, less than the SDKs' socket timeouts (the Java SDKs' 30 s), so the client hears a retryable 503.
     */
    public static final Duration BOUND = Duration.ofSeconds(20);

    private final Queues queues;
    private final Duration bound;

    public GuardedQueues(Queues queues) {
        this(queues, BOUND);
    }

    /** With another bound (tests). */
    GuardedQueues(Queues queues, Duration bound) {
        this.queues = queues;
        this.bound = bound;
    }

    private static <T> CompletionStage<T> guard(CompletionStage<T> stage, Duration bound) {
        return stage.toCompletableFuture()
                .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(DatabaseOutage.explain(failure)));
    }

    private <T> CompletionStage<T> guard(CompletionStage<T> stage) {
        return guard(stage, bound);
    }

    @Override
    public CompletionStage<QueueInfo> createQueue(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags, int maxQueues) {
        return guard(queues.createQueue(key, attributes, tags, maxQueues));
    }

    @Override
    public CompletionStage<Void> deleteQueue(QueueKey key) {
        return guard(queues.deleteQueue(key));
    }

    @Override
    public CompletionStage<Void> deleteQueues(String accountId) {
        return guard(queues.deleteQueues(accountId));
    }

    @Override
    public CompletionStage<QueueInfo> describe(QueueKey key) {
        return guard(queues.describe(key));
    }

    @Override
    public CompletionStage<List<String>> queueNames(String region, String accountId, String prefix) {
        return guard(queues.queueNames(region, accountId, prefix));
    }

    @Override
    public CompletionStage<List<QueueKey>> queueKeys(Optional<String> accountId) {
        return guard(queues.queueKeys(accountId));
    }

    @Override
    public CompletionStage<List<QueueKey>> deadLetterSourceQueues(QueueKey key) {
        return guard(queues.deadLetterSourceQueues(key));
    }

    @Override
    public CompletionStage<Long> messageCount(String accountId) {
        return guard(queues.messageCount(accountId));
    }

    @Override
    public CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes) {
        return guard(queues.setAttributes(key, attributes));
    }

    @Override
    public CompletionStage<Void> editPolicy(QueueKey key, UnaryOperator<String> edit) {
        return guard(queues.editPolicy(key, edit));
    }

    @Override
    public CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags) {
        return guard(queues.tagQueue(key, tags));
    }

    @Override
    public CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys) {
        return guard(queues.untagQueue(key, tagKeys));
    }

    @Override
    public CompletionStage<Void> purgeQueue(QueueKey key) {
        return guard(queues.purgeQueue(key));
    }

    @Override
    public CompletionStage<SentMessage> send(QueueKey key, NewMessage message, long maxAccountMessages) {
        return guard(queues.send(key, message, maxAccountMessages));
    }

    @Override
    public CompletionStage<List<Outcome<SentMessage>>> sendBatch(
            QueueKey key, List<NewMessage> messages, long maxAccountMessages) {
        return guard(queues.sendBatch(key, messages, maxAccountMessages));
    }

    /** Bounded by its wait time (the queue's default is at most {@link QueueSettings#MAX_WAIT_TIME}) plus the bound. */
    @Override
    public CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options) {
        Duration wait = options.waitTime().orElse(QueueSettings.MAX_WAIT_TIME);
        return guard(queues.receive(key, options), wait.plus(bound));
    }

    @Override
    public CompletionStage<Void> unreceive(QueueKey key, List<String> receiptHandles) {
        return guard(queues.unreceive(key, receiptHandles));
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles) {
        return guard(queues.deleteMessages(key, receiptHandles));
    }

    @Override
    public CompletionStage<List<Outcome<Void>>> changeVisibilities(QueueKey key, List<VisibilityChange> changes) {
        return guard(queues.changeVisibilities(key, changes));
    }

    @Override
    public CompletionStage<MessagePage> peek(QueueKey key, PeekRequest request) {
        return guard(queues.peek(key, request));
    }

    @Override
    public int endLongPolls() {
        return queues.endLongPolls();
    }

    @Override
    public CompletionStage<String> startMessageMoveTask(StartMoveTask task) {
        return guard(queues.startMessageMoveTask(task));
    }

    @Override
    public CompletionStage<List<MessageMoveTask>> listMessageMoveTasks(QueueKey source, int maxResults) {
        return guard(queues.listMessageMoveTasks(source, maxResults));
    }

    @Override
    public CompletionStage<Long> cancelMessageMoveTask(String taskHandle) {
        return guard(queues.cancelMessageMoveTask(taskHandle));
    }
}
