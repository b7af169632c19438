package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class TagQueueHandler implements ActionHandler<TagQueueRequest> {
    private final QueueEngine engine;

    TagQueueHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public TagQueueRequest decode(Params params) {
        return TagQueueRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, TagQueueRequest request) {
        return engine.tagQueue(caller.queue(request.queueUrl()), request.tags()).thenApply(done -> Map.of());
    }
}
