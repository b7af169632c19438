package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

final class ListQueueTagsHandler implements ActionHandler<QueueUrlRequest> {
    private final QueueEngine engine;

    ListQueueTagsHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public QueueUrlRequest decode(Params params) {
        return QueueUrlRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, QueueUrlRequest request) {
        Map<String, String> tags =
                engine.queue(caller.queue(request.queueUrl())).tags();
        return CompletableFuture.completedFuture(Wire.result().put("Tags", tags).build());
    }
}
