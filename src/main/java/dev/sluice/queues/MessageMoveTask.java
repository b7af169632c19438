package dev.sluice.queues;

import java.time.Instant;

/** A message move task as ListMessageMoveTasks reports it; the maximum rate and failure reason may be null. */
public record MessageMoveTask(
        String taskHandle,
        MoveTaskStatus status,
        String sourceArn,
        String destinationArn,
        Integer maxNumberOfMessagesPerSecond,
        long approximateNumberOfMessagesMoved,
        long approximateNumberOfMessagesToMove,
        String failureReason,
        Instant started) {}
