package dev.sluice.compat;

/** One successful SendMessageBatch entry. */
public record SentBatchEntry(String id, SentMessage sent) {}
