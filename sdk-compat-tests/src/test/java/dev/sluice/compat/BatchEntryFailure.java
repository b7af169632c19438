package dev.sluice.compat;

/** One entry of a batch reply's Failed list (BatchResultErrorEntry). */
public record BatchEntryFailure(String id, String code, boolean senderFault, String message) {}
