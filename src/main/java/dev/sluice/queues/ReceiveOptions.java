package dev.sluice.queues;

import java.time.Duration;
import java.util.Optional;

/** ReceiveMessage's knobs; empty means the queue's default; the attempt id (FIFO retries) may be null. */
public record ReceiveOptions(
        int maxNumberOfMessages,
        Optional<Duration> visibilityTimeout,
        Optional<Duration> waitTime,
        String receiveRequestAttemptId) {

    public ReceiveOptions(int maxNumberOfMessages, Optional<Duration> visibilityTimeout, Optional<Duration> waitTime) {
        this(maxNumberOfMessages, visibilityTimeout, waitTime, null);
    }
}
