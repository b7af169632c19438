package dev.sluice.compat;

/**
 * One ListMessageMoveTasks result entry; members the server did not send are null (TaskHandle only while RUNNING,
 * DestinationArn and MaxNumberOfMessagesPerSecond only if given at the start, FailureReason only if FAILED).
 */
public record MessageMoveTask(
        String taskHandle,
        String status,
        String sourceArn,
        String destinationArn,
        Integer maxNumberOfMessagesPerSecond,
        Long approximateNumberOfMessagesMoved,
        Long approximateNumberOfMessagesToMove,
        String failureReason,
        Long startedTimestamp) {}
