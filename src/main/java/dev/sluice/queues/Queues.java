package dev.sluice.queues;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The SQS operations on queues and their messages, as the api's handlers call them: the one seam between the SQS
 * surface and a backend (the embedded engine today, PostgreSQL next). Every operation is asynchronous, reads included,
 * because a backend whose state is not in this process answers nothing at once.
 *
 * <p>A broken rule is a {@code QueueException}: thrown at once when the arguments alone break it, else the stage
 * fails with it. Callers handle both. A stage completes only once what the operation changed is durable.
 */
public interface Queues {

    // ---- queues

    /** CreateQueue: the queue, or the existing one if it has the same attributes. */
    default CompletionStage<QueueInfo> createQueue(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags) {
        return createQueue(key, attributes, tags, Integer.MAX_VALUE);
    }

    /**
     * CreateQueue where the account may own at most {@code maxQueues} queues (a tenant's limit; OverLimit beyond it):
     * concurrent creates cannot pass the limit together.
     */
    CompletionStage<QueueInfo> createQueue(
            QueueKey key, Map<String, String> attributes, Map<String, String> tags, int maxQueues);

    CompletionStage<Void> deleteQueue(QueueKey key);

    /**
     * Deletes every queue of the account, in every region, with its messages (a deleted tenant's); completes when that
     * is stored.
     */
    CompletionStage<Void> deleteQueues(String accountId);

    /** The queue's settings, tags, timestamps and approximate message counts; QUEUE_NOT_FOUND if it does not exist. */
    CompletionStage<QueueInfo> describe(QueueKey key);

    /** Names of the account's queues in the region starting with the prefix (null: all), sorted. */
    CompletionStage<List<String>> queueNames(String region, String accountId, String prefix);

    /** The keys of every queue, or of one account's, by account, region and name (the admin API's listing). */
    CompletionStage<List<QueueKey>> queueKeys(Optional<String> accountId);

    /** The queues whose RedrivePolicy names this one as dead-letter queue, sorted by name. */
    CompletionStage<List<QueueKey>> deadLetterSourceQueues(QueueKey key);

    /**
     * How many messages the account's queues hold in all regions, counting sends not yet stored (a tenant's
     * maxMessages).
     */
    CompletionStage<Long> messageCount(String accountId);

    CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes);

    /**
     * Reads the queue's Policy attribute (null if it has none), edits it with {@code edit} and stores the result, as
     * SetQueueAttributes would (null or empty removes it): atomically, so two edits at once (AddPermission,
     * RemovePermission) both land, on every replica of a backend that has several. {@code edit} may throw to refuse;
     * nothing is stored then.
     */
    CompletionStage<Void> editPolicy(QueueKey key, UnaryOperator<String> edit);

    CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags);

    CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys);

    CompletionStage<Void> purgeQueue(QueueKey key);

    // ---- messages

    default CompletionStage<SentMessage> send(QueueKey key, NewMessage message) {
        return send(key, message, Long.MAX_VALUE);
    }

    /** SendMessage where the queue's account may hold at most {@code maxAccountMessages} (a tenant's limit). */
    CompletionStage<SentMessage> send(QueueKey key, NewMessage message, long maxAccountMessages);

    default CompletionStage<List<Outcome<SentMessage>>> sendBatch(QueueKey key, List<NewMessage> messages) {
        return sendBatch(key, messages, Long.MAX_VALUE);
    }

    /**
     * Sends each message on its own terms (one may fail while the others succeed) and stores all accepted ones
     * together. FIFO duplicates within the deduplication window answer with the first message's id and add nothing.
     * The queue's account may hold at most {@code maxAccountMessages} (a tenant's limit): a batch that does not fit is
     * OverLimit as a whole, and concurrent sends cannot pass the limit together. On a FIFO queue a message without the
     * ids it needs fails the whole batch ({@code SendRules.requireBatchIds}), so a single SendMessage is not a batch of
     * one.
     */
    CompletionStage<List<Outcome<SentMessage>>> sendBatch(
            QueueKey key, List<NewMessage> messages, long maxAccountMessages);

    CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options);

    /**
     * Gives back what a receive handed out when its answer never reached the caller: each message still in flight
     * from that receive becomes visible again, that receive not counted. Other handles are left alone; a queue that
     * is gone is no failure.
     */
    CompletionStage<Void> unreceive(QueueKey key, List<String> receiptHandles);

    default CompletionStage<Void> deleteMessage(QueueKey key, String receiptHandle) {
        return deleteMessages(key, List.of(receiptHandle)).thenApply(Outcome::only);
    }

    CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles);

    default CompletionStage<Void> changeVisibility(QueueKey key, String receiptHandle, Duration timeout) {
        return changeVisibilities(key, List.of(new VisibilityChange(receiptHandle, timeout)))
                .thenApply(Outcome::only);
    }

    CompletionStage<List<Outcome<Void>>> changeVisibilities(QueueKey key, List<VisibilityChange> changes);

    /** A page of the queue's messages as they stand, changing nothing (the console's message browser). */
    CompletionStage<MessagePage> peek(QueueKey key, PeekRequest request);

    /**
     * The server is stopping: answers every parked long poll with no messages (as SQS answers a wait that ends empty)
     * and parks no more. Returns how many polls it answered.
     */
    int endLongPolls();

    // ---- message move tasks

    /** Starts a message move task out of a dead-letter queue; returns its handle. */
    CompletionStage<String> startMessageMoveTask(StartMoveTask task);

    /** The source queue's move tasks, newest first, at most {@code maxResults}. */
    CompletionStage<List<MessageMoveTask>> listMessageMoveTasks(QueueKey source, int maxResults);

    /** Cancels a running task; messages already moved stay where they are. Returns how many were moved. */
    CompletionStage<Long> cancelMessageMoveTask(String taskHandle);
}
