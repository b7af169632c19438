package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class ChangeMessageVisibilityHandler implements ActionHandler<ChangeMessageVisibilityRequest> {
    private final QueueEngine engine;

    ChangeMessageVisibilityHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public ChangeMessageVisibilityRequest decode(Params params) {
        return ChangeMessageVisibilityRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ChangeMessageVisibilityRequest request) {
        return engine.changeVisibility(
                        caller.queue(request.queueUrl()),
                        request.receiptHandle(),
                        Duration.ofSeconds(request.visibilityTimeout()))
                .thenApply(done -> Map.of());
    }
}
