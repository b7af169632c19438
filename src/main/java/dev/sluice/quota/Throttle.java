package dev.sluice.quota;

/** A refusal: the limit a request was over, and the message the caller gets with SQS's RequestThrottled. */
public record Throttle(Limit limit, String message) {}
