package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class SetQueueAttributesHandler implements ActionHandler<SetQueueAttributesRequest> {
    private final QueueEngine engine;

    SetQueueAttributesHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public SetQueueAttributesRequest decode(Params params) {
        return SetQueueAttributesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, SetQueueAttributesRequest request) {
        QueueKey key = caller.queue(request.queueUrl());
        PolicyAttribute.check(request.attributes());
        return engine.setAttributes(key, request.attributes()).thenApply(done -> Map.of());
    }
}
