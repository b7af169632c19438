package dev.sluice.compat.spring;

/** The payload the application sends and listens for; SqsTemplate writes it as JSON, @SqsListener reads it back. */
public record OrderPlaced(String orderId, int quantity) {}
