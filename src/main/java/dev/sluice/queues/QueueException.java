package dev.sluice.queues;

import java.util.concurrent.CompletionException;

/** A request broke an SQS rule; the message is the one AWS would send. */
public final class QueueException extends RuntimeException {
    private final QueueError error;

    public QueueException(QueueError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public QueueError error() {
        return error;
    }

    /** The QueueException a failure is, or a stage failed with (unwrapped from CompletionException); else null. */
    public static QueueException causeOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof QueueException queueException ? queueException : null;
    }

    public static QueueException invalidParameter(String message) {
        return new QueueException(QueueError.INVALID_PARAMETER_VALUE, message);
    }
}
