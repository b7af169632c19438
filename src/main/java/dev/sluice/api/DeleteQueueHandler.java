package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class DeleteQueueHandler implements ActionHandler<QueueUrlRequest> {
    private final QueueEngine engine;

    DeleteQueueHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public QueueUrlRequest decode(Params params) {
        return QueueUrlRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, QueueUrlRequest request) {
        return engine.deleteQueue(caller.queue(request.queueUrl())).thenApply(done -> Map.of());
    }
}
