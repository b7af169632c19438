package dev.sluice.quota;

/**
 * A refusal: the limit a request was over, the message the caller gets with SQS's RequestThrottled, and how long until
 * the limit would admit it again (0 when not known).
 */
public record Throttle(Limit limit, String message, long retryInNanos) {}
