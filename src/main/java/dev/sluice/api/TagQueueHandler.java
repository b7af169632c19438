package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class TagQueueHandler implements ActionHandler<TagQueueRequest> {
    private final Queues queues;

    TagQueueHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public TagQueueRequest decode(Params params) {
        return TagQueueRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, TagQueueRequest request) {
        return caller.withQueue(request.queueUrl(), queue -> queues.tagQueue(queue, request.tags()))
                .thenApply(done -> Map.of());
    }
}
