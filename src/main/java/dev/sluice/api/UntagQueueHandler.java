package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class UntagQueueHandler implements ActionHandler<UntagQueueRequest> {
    private final Queues queues;

    UntagQueueHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public UntagQueueRequest decode(Params params) {
        return UntagQueueRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, UntagQueueRequest request) {
        return caller.withQueue(request.queueUrl(), queue -> queues.untagQueue(queue, request.tagKeys()))
                .thenApply(done -> Map.of());
    }
}
