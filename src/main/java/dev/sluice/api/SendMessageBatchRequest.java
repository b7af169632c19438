package dev.sluice.api;

import java.util.List;

public record SendMessageBatchRequest(String queueUrl, List<Entry> entries) {

    public record Entry(String id, MessageFields.Sent message) {}

    static SendMessageBatchRequest from(Params params) {
        return new SendMessageBatchRequest(
                params.string("QueueUrl"),
                params.structs("Entries").stream()
                        .map(entry ->
                                new Entry(entry.string("Id"), MessageFields.Sent.from(entry, params.traceHeader())))
                        .toList());
    }
}
