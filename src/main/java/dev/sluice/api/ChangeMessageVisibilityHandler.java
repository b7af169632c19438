package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class ChangeMessageVisibilityHandler implements ActionHandler<ChangeMessageVisibilityRequest> {
    private final Queues queues;

    ChangeMessageVisibilityHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ChangeMessageVisibilityRequest decode(Params params) {
        return ChangeMessageVisibilityRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ChangeMessageVisibilityRequest request) {
        return caller.withQueue(
                        request.queueUrl(),
                        queue -> queues.changeVisibility(
                                queue, request.receiptHandle(), Duration.ofSeconds(request.visibilityTimeout())))
                .thenApply(done -> Map.of());
    }
}
