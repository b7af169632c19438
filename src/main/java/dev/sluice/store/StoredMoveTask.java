package dev.sluice.store;

/**
 * A message move task (StartMessageMoveTask) and its progress. Queues are named {@code accountId/name};
 * {@code destinationQueue} is null when messages go back to the queues they came from.
 */
public record StoredMoveTask(
        String taskHandle,
        String sourceQueue,
        String destinationQueue,
        String sourceArn,
        String destinationArn,
        int maxNumberOfMessagesPerSecond,
        String status,
        long approximateNumberOfMessagesMoved,
        long approximateNumberOfMessagesToMove,
        String failureReason,
        long startedMillis) {}
