package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

final class GetQueueUrlHandler implements ActionHandler<GetQueueUrlRequest> {
    private final QueueEngine engine;

    GetQueueUrlHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public GetQueueUrlRequest decode(Params params) {
        return GetQueueUrlRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, GetQueueUrlRequest request) {
        String owner = request.queueOwnerAwsAccountId() != null ? request.queueOwnerAwsAccountId() : caller.accountId();
        QueueKey key = caller.authorize(new QueueKey(owner, request.queueName()));
        engine.queue(key);
        return CompletableFuture.completedFuture(
                Wire.result().put("QueueUrl", caller.queueUrl(key)).build());
    }
}
