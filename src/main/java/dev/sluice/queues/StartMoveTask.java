package dev.sluice.queues;

/**
 * StartMessageMoveTask: move the messages of the dead-letter queue {@code source} to {@code destination}, or, when it
 * is null, each back to the queue it came from, at most {@code maxNumberOfMessagesPerSecond} a second (null: as fast
 * as SQS allows). The ARNs are kept as the caller wrote them, for ListMessageMoveTasks.
 */
public record StartMoveTask(
        QueueKey source,
        String sourceArn,
        QueueKey destination,
        String destinationArn,
        Integer maxNumberOfMessagesPerSecond) {}
