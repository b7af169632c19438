package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.ReceiveOptions;
import java.time.Duration;

/** ReceiveMessage's arguments and the visibility limits every receive and visibility change keeps (API reference). */
public final class ReceiveRules {
    private ReceiveRules() {}

    /** MaxNumberOfMessages 1 to 10, VisibilityTimeout 0 to 12 hours, WaitTimeSeconds 0 to 20, where given. */
    public static void validate(ReceiveOptions options) {
        int max = options.maxNumberOfMessages();
        if (max < 1 || max > SqsLimits.MAX_MESSAGES_PER_CALL) {
            throw QueueException.invalidParameter("Value " + max
                    + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        }
        options.visibilityTimeout().ifPresent(ReceiveRules::requireVisibilityTimeout);
        options.waitTime().ifPresent(wait -> {
            if (wait.isNegative() || wait.compareTo(QueueSettings.MAX_WAIT_TIME) > 0) {
                throw QueueException.invalidParameter("Value " + wait.toSeconds()
                        + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
            }
        });
    }

    public static void requireVisibilityTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(QueueSettings.MAX_VISIBILITY_TIMEOUT) > 0) {
            throw QueueException.invalidParameter("Value " + timeout.toSeconds()
                    + " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.");
        }
    }

    /** The latest a message received at {@code lastReceiveMillis} may stay in flight: 12 hours after that receive. */
    public static long inFlightLimitMillis(long lastReceiveMillis) {
        return lastReceiveMillis + QueueSettings.MAX_VISIBILITY_TIMEOUT.toMillis();
    }

    /**
     * When a ChangeMessageVisibility makes the message visible again: {@code timeout} from now, which must stay within
     * {@link #inFlightLimitMillis} of its last receive.
     */
    public static long visibleAt(long lastReceiveMillis, Duration timeout, long nowMillis) {
        long visibleAt = nowMillis + timeout.toMillis();
        if (visibleAt > inFlightLimitMillis(lastReceiveMillis)) {
            throw QueueException.invalidParameter("Value " + timeout.toSeconds()
                    + " for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message"
                    + " is beyond the limit [43200 seconds]");
        }
        return visibleAt;
    }

    /**
     * Whether an empty answer must be OverLimit instead: a standard queue's short poll with {@link
     * SqsLimits#MAX_IN_FLIGHT} messages in flight (a long poll and a FIFO queue answer empty, without an error).
     */
    public static boolean overInFlightLimit(boolean fifo, long waitMillis, int inFlight) {
        return !fifo && waitMillis == 0 && inFlight >= SqsLimits.MAX_IN_FLIGHT;
    }

    public static QueueException inFlightLimitReached() {
        return new QueueException(
                QueueError.OVER_LIMIT,
                "The maximum number of in flight messages (" + SqsLimits.MAX_IN_FLIGHT + ") is reached.");
    }
}
