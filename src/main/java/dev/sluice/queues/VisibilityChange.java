package dev.sluice.queues;

import java.time.Duration;

/** One ChangeMessageVisibility request or batch entry. */
public record VisibilityChange(String receiptHandle, Duration visibilityTimeout) {}
