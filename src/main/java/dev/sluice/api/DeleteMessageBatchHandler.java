package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class DeleteMessageBatchHandler implements ActionHandler<DeleteMessageBatchRequest> {
    private final Queues queues;

    DeleteMessageBatchHandler(Queues queues) {
        this.queues = queues;
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
        return caller.withQueue(request.queueUrl(), queue -> queues.deleteMessages(queue, handles))
                .thenApply(outcomes -> BatchResults.encode(
                        entries.stream()
                                .map(DeleteMessageBatchRequest.Entry::id)
                                .toList(),
                        outcomes));
    }
}
