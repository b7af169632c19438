package dev.sluice.queues;

/** The states of a message move task, as ListMessageMoveTasks reports them. */
public enum MoveTaskStatus {
    RUNNING,
    COMPLETED,
    CANCELLED,
    FAILED
}
