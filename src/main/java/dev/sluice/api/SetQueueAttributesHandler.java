package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
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
        return engine.setAttributes(caller.queue(request.queueUrl()), request.attributes())
                .thenApply(done -> Map.of());
    }
}
