package dev.sluice.engine;

import java.time.Duration;
import java.util.Optional;

/** ReceiveMessage's knobs; empty means the queue's default. */
public record ReceiveOptions(
        int maxNumberOfMessages, Optional<Duration> visibilityTimeout, Optional<Duration> waitTime) {}
