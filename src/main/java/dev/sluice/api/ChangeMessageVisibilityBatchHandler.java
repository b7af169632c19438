package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueEngine.VisibilityChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class ChangeMessageVisibilityBatchHandler implements ActionHandler<ChangeMessageVisibilityBatchRequest> {
    private final QueueEngine engine;

    ChangeMessageVisibilityBatchHandler(QueueEngine engine) {
        this.engine = engine;
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
        return engine.changeVisibilities(caller.queue(request.queueUrl()), changes)
                .thenApply(outcomes -> BatchResults.encode(ids, outcomes));
    }
}
