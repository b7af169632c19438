package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class CreateQueueHandler implements ActionHandler<CreateQueueRequest> {
    private final Queues queues;

    CreateQueueHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public CreateQueueRequest decode(Params params) {
        return CreateQueueRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, CreateQueueRequest request) {
        QueueKey key = new QueueKey(caller.region(), caller.accountId(), request.queueName());
        PolicyAttribute.check(request.attributes());
        return queues.createQueue(
                        key,
                        request.attributes(),
                        request.tags(),
                        caller.access().maxQueues(caller.accountId()))
                .thenApply(info ->
                        Wire.result().put("QueueUrl", caller.queueUrl(key)).build());
    }
}
