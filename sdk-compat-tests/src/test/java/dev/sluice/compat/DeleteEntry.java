package dev.sluice.compat;

/** One DeleteMessageBatch entry. */
public record DeleteEntry(String id, String receiptHandle) {}
