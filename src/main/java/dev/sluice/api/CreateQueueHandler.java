package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class CreateQueueHandler implements ActionHandler<CreateQueueRequest> {
    private final QueueEngine engine;

    CreateQueueHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public CreateQueueRequest decode(Params params) {
        return CreateQueueRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, CreateQueueRequest request) {
        QueueKey key = new QueueKey(caller.accountId(), request.queueName());
        PolicyAttribute.check(request.attributes());
        return engine.createQueue(
                        key,
                        request.attributes(),
                        request.tags(),
                        caller.access().maxQueues(caller.accountId()))
                .thenApply(info ->
                        Wire.result().put("QueueUrl", caller.queueUrl(key)).build());
    }
}
