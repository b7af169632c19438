package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class DeleteQueueHandler implements ActionHandler<QueueUrlRequest> {
    private final Queues queues;

    DeleteQueueHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public QueueUrlRequest decode(Params params) {
        return QueueUrlRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, QueueUrlRequest request) {
        return caller.withQueue(request.queueUrl(), queues::deleteQueue).thenApply(done -> Map.of());
    }
}
