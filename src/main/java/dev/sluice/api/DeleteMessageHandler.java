package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class DeleteMessageHandler implements ActionHandler<DeleteMessageRequest> {
    private final Queues queues;

    DeleteMessageHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public DeleteMessageRequest decode(Params params) {
        return DeleteMessageRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, DeleteMessageRequest request) {
        return caller.withQueue(request.queueUrl(), queue -> queues.deleteMessage(queue, request.receiptHandle()))
                .thenApply(done -> Map.of());
    }
}
