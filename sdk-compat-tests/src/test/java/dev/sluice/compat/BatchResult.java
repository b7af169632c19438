package dev.sluice.compat;

import java.util.List;

/** The reply to DeleteMessageBatch or ChangeMessageVisibilityBatch: the Ids that succeeded and the ones that failed. */
public record BatchResult(List<String> successful, List<BatchEntryFailure> failed) {}
