package dev.sluice.compat;

/** One ChangeMessageVisibilityBatch entry. */
public record VisibilityEntry(String id, String receiptHandle, int visibilityTimeout) {}
