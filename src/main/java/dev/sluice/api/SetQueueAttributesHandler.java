package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class SetQueueAttributesHandler implements ActionHandler<SetQueueAttributesRequest> {
    private final Queues queues;

    SetQueueAttributesHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public SetQueueAttributesRequest decode(Params params) {
        return SetQueueAttributesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, SetQueueAttributesRequest request) {
        return caller.withQueue(request.queueUrl(), queue -> {
                    PolicyAttribute.check(request.attributes());
                    return queues.setAttributes(queue, request.attributes());
                })
                .thenApply(done -> Map.of());
    }
}
