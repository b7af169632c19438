package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class UntagQueueHandler implements ActionHandler<UntagQueueRequest> {
    private final QueueEngine engine;

    UntagQueueHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public UntagQueueRequest decode(Params params) {
        return UntagQueueRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, UntagQueueRequest request) {
        return engine.untagQueue(caller.queue(request.queueUrl()), request.tagKeys())
                .thenApply(done -> Map.of());
    }
}
