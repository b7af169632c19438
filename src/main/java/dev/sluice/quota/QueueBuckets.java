package dev.sluice.quota;

/**
 * One queue's buckets: the request rate its owner's quota gives it, if any, and with {@code sluice.quota.fifo-throughput}
 * SQS's per-action limits of a FIFO queue. Whether a FIFO queue is in high-throughput mode is its FifoThroughputLimit
 * attribute, read again at most once a second (SQS itself takes up to 60 seconds to apply an attribute change).
 */
final class QueueBuckets {
    /** SQS developer guide, "Amazon SQS message quotas": a FIFO queue without high throughput takes 300 API calls a second per action. */
    static final Rate FIFO_RATE = new Rate(300, 300);

    private static final long FIFO_MODE_TTL_NANOS = 1_000_000_000L;

    final TokenBucket requests;
    private final TokenBucket[] fifo;
    private volatile boolean perQueueMode;
    private volatile long modeReadAt;
    private volatile boolean modeKnown;

    /** {@code requests}: the owner's rate for this queue, or null; {@code fifo}: whether SQS's FIFO limits may apply. */
    QueueBuckets(Rate requests, boolean fifo, long now) {
        this.requests = requests == null ? null : new TokenBucket(requests, now);
        this.fifo = fifo ? new TokenBucket[FifoAction.values().length] : null;
        if (fifo) {
            for (FifoAction action : FifoAction.values()) {
                this.fifo[action.ordinal()] = new TokenBucket(FIFO_RATE, now);
            }
        }
    }

    TokenBucket fifo(FifoAction action) {
        return fifo[action.ordinal()];
    }

    /** Whether SQS's FIFO limits apply (FifoThroughputLimit perQueue), reading the attribute when the last read is old. */
    boolean perQueueMode(long now, java.util.function.Supplier<String> attribute) {
        if (!modeKnown || now - modeReadAt > FIFO_MODE_TTL_NANOS) {
            String value = attribute.get();
            perQueueMode = value != null && !value.equals("perMessageGroupId");
            modeReadAt = now;
            modeKnown = true;
        }
        return perQueueMode;
    }

    boolean idle(long now) {
        if (requests != null && !requests.isFull(now)) {
            return false;
        }
        if (fifo != null) {
            for (TokenBucket bucket : fifo) {
                if (!bucket.isFull(now)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The actions SQS limits on a FIFO queue; a batch counts as one call of its action. */
    enum FifoAction {
        SEND_MESSAGE("SendMessage"),
        RECEIVE_MESSAGE("ReceiveMessage"),
        DELETE_MESSAGE("DeleteMessage");

        final String name;

        FifoAction(String name) {
            this.name = name;
        }

        static FifoAction of(String action) {
            return switch (action) {
                case "SendMessage", "SendMessageBatch" -> SEND_MESSAGE;
                case "ReceiveMessage" -> RECEIVE_MESSAGE;
                case "DeleteMessage", "DeleteMessageBatch" -> DELETE_MESSAGE;
                default -> null;
            };
        }
    }
}
