package dev.sluice.api;

import java.util.List;

public record ChangeMessageVisibilityBatchRequest(String queueUrl, List<Entry> entries) {

    public record Entry(String id, String receiptHandle, Integer visibilityTimeout) {}

    static ChangeMessageVisibilityBatchRequest from(Params params) {
        return new ChangeMessageVisibilityBatchRequest(
                params.string("QueueUrl"),
                params.structs("Entries").stream()
                        .map(entry -> new Entry(
                                entry.string("Id"), entry.string("ReceiptHandle"), entry.integer("VisibilityTimeout")))
                        .toList());
    }
}
