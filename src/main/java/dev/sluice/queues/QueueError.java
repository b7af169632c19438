package dev.sluice.queues;

/** Every way an SQS rule can refuse a request, in domain words; {@code api.AwsErrors} maps each to AWS's code. */
public enum QueueError {
    QUEUE_NOT_FOUND,
    QUEUE_NAME_EXISTS,
    QUEUE_DELETED_RECENTLY,
    PURGE_IN_PROGRESS,
    INVALID_ATTRIBUTE_NAME,
    INVALID_ATTRIBUTE_VALUE,
    INVALID_PARAMETER_VALUE,
    MISSING_PARAMETER,
    INVALID_MESSAGE_CONTENTS,
    /** A body and attributes over the queue's MaximumMessageSize (InvalidParameterValue; worded per action). */
    MESSAGE_TOO_LONG,
    RECEIPT_HANDLE_INVALID,
    RESOURCE_NOT_FOUND,
    /** A tenant's limit on queues or stored messages, or the in-flight limit of a standard queue's short poll. */
    OVER_LIMIT,
    /** The server holds as many messages as its memory allows: a send must wait (retryable, as throttling is). */
    MEMORY_FULL,
    /**
     * Where the queues live cannot be reached for now (the PostgreSQL backend's database down or refusing
     * connections): retryable, nothing was changed that the caller was told about (ServiceUnavailable).
     */
    UNAVAILABLE
}
