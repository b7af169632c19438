package dev.sluice.compat;

/** One SendMessageBatch entry: the caller-chosen batch entry Id and the message. */
public record SendBatchEntry(String id, OutgoingMessage message) {}
