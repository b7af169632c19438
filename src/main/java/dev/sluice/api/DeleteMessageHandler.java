package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class DeleteMessageHandler implements ActionHandler<DeleteMessageRequest> {
    private final QueueEngine engine;

    DeleteMessageHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public DeleteMessageRequest decode(Params params) {
        return DeleteMessageRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, DeleteMessageRequest request) {
        return engine.deleteMessage(caller.queue(request.queueUrl()), request.receiptHandle())
                .thenApply(done -> Map.of());
    }
}
