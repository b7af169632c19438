package dev.sluice.api;

import dev.sluice.queues.Queues;
import dev.sluice.queues.VisibilityChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class ChangeMessageVisibilityBatchHandler implements ActionHandler<ChangeMessageVisibilityBatchRequest> {
    private final Queues queues;

    ChangeMessageVisibilityBatchHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ChangeMessageVisibilityBatchRequest decode(Params params) {
        return ChangeMessageVisibilityBatchRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ChangeMessageVisibilityBatchRequest request) {
        List<ChangeMessageVisibilityBatchRequest.Entry> entries = request.entries();
        List<String> ids = entries.stream()
                .map(ChangeMessageVisibilityBatchRequest.Entry::id)
                .toList();
        BatchEntries.validate("ChangeMessageVisibilityBatchRequestEntry", ids);
        List<VisibilityChange> changes = entries.stream()
                .map(entry -> new VisibilityChange(
                        entry.receiptHandle() == null ? "" : entry.receiptHandle(),
                        Duration.ofSeconds(entry.visibilityTimeout() == null ? 0 : entry.visibilityTimeout())))
                .toList();
        return caller.withQueue(request.queueUrl(), queue -> queues.changeVisibilities(queue, changes))
                .thenApply(outcomes -> BatchResults.encode(ids, outcomes));
    }
}
