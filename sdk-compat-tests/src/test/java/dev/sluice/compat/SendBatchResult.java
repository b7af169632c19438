package dev.sluice.compat;

import java.util.List;

/** The reply to SendMessageBatch: both lists arrive with HTTP 200. */
public record SendBatchResult(List<SentBatchEntry> successful, List<BatchEntryFailure> failed) {}
