package dev.sluice.queues;

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

    public static QueueException invalidParameter(String message) {
        return new QueueException(QueueError.INVALID_PARAMETER_VALUE, message);
    }
}
