package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class DeleteMessageBatchHandler implements ActionHandler<DeleteMessageBatchRequest> {
    private final QueueEngine engine;

    DeleteMessageBatchHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public DeleteMessageBatchRequest decode(Params params) {
        return DeleteMessageBatchRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, DeleteMessageBatchRequest request) {
        List<DeleteMessageBatchRequest.Entry> entries = request.entries();
        BatchEntries.validate(
                "DeleteMessageBatchRequestEntry",
                entries.stream().map(DeleteMessageBatchRequest.Entry::id).toList());
        List<String> handles = entries.stream()
                .map(entry -> entry.receiptHandle() == null ? "" : entry.receiptHandle())
                .toList();
        return engine.deleteMessages(caller.queue(request.queueUrl()), handles)
                .thenApply(outcomes -> BatchResults.encode(
                        entries.stream()
                                .map(DeleteMessageBatchRequest.Entry::id)
                                .toList(),
                        outcomes));
    }
}
