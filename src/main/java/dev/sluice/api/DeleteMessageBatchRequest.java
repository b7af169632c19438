package dev.sluice.api;

import java.util.List;

public record DeleteMessageBatchRequest(String queueUrl, List<Entry> entries) {

    public record Entry(String id, String receiptHandle) {}

    static DeleteMessageBatchRequest from(Params params) {
        return new DeleteMessageBatchRequest(
                params.string("QueueUrl"),
                params.structs("Entries").stream()
                        .map(entry -> new Entry(entry.string("Id"), entry.string("ReceiptHandle")))
                        .toList());
    }
}
