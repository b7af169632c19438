package dev.sluice.queues;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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
    CompletionStage<QueueInfo> createQueue(QueueKey key, Map<String, String> attributes, Map<String, String> tags);

    CompletionStage<Void> deleteQueue(QueueKey key);

    /** The queue's settings, tags, timestamps and approximate message counts; QUEUE_NOT_FOUND if it does not exist. */
    CompletionStage<QueueInfo> describe(QueueKey key);

    /** Names of the account's queues starting with the prefix (null: all), sorted. */
    CompletionStage<List<String>> queueNames(String accountId, String prefix);

    /** The queues whose RedrivePolicy names this one as dead-letter queue, sorted by name. */
    CompletionStage<List<QueueKey>> deadLetterSourceQueues(QueueKey key);

    /** How many messages the account's queues hold in all (a tenant's maxMessages limit). */
    CompletionStage<Long> messageCount(String accountId);

    CompletionStage<Void> setAttributes(QueueKey key, Map<String, String> attributes);

    CompletionStage<Void> tagQueue(QueueKey key, Map<String, String> tags);

    CompletionStage<Void> untagQueue(QueueKey key, Collection<String> tagKeys);

    CompletionStage<Void> purgeQueue(QueueKey key);

    // ---- messages

    default CompletionStage<SentMessage> send(QueueKey key, NewMessage message) {
        return sendBatch(key, List.of(message)).thenApply(Outcome::only);
    }

    /**
     * Sends each message on its own terms (one may fail while the others succeed) and stores all accepted ones
     * together. FIFO duplicates within the deduplication window answer with the first message's id and add nothing.
     */
    CompletionStage<List<Outcome<SentMessage>>> sendBatch(QueueKey key, List<NewMessage> messages);

    CompletionStage<List<ReceivedMessage>> receive(QueueKey key, ReceiveOptions options);

    default CompletionStage<Void> deleteMessage(QueueKey key, String receiptHandle) {
        return deleteMessages(key, List.of(receiptHandle)).thenApply(Outcome::only);
    }

    CompletionStage<List<Outcome<Void>>> deleteMessages(QueueKey key, List<String> receiptHandles);

    default CompletionStage<Void> changeVisibility(QueueKey key, String receiptHandle, Duration timeout) {
        return changeVisibilities(key, List.of(new VisibilityChange(receiptHandle, timeout)))
                .thenApply(Outcome::only);
    }

    CompletionStage<List<Outcome<Void>>> changeVisibilities(QueueKey key, List<VisibilityChange> changes);

    // ---- message move tasks

    /** Starts a message move task out of a dead-letter queue; returns its handle. */
    CompletionStage<String> startMessageMoveTask(StartMoveTask task);

    /** The source queue's move tasks, newest first, at most {@code maxResults}. */
    CompletionStage<List<MessageMoveTask>> listMessageMoveTasks(QueueKey source, int maxResults);

    /** Cancels a running task; messages already moved stay where they are. Returns how many were moved. */
    CompletionStage<Long> cancelMessageMoveTask(String taskHandle);
}
