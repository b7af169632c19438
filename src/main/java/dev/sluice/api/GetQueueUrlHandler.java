package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class GetQueueUrlHandler implements ActionHandler<GetQueueUrlRequest> {
    private final Queues queues;

    GetQueueUrlHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public GetQueueUrlRequest decode(Params params) {
        return GetQueueUrlRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, GetQueueUrlRequest request) {
        String owner = request.queueOwnerAwsAccountId() != null ? request.queueOwnerAwsAccountId() : caller.accountId();
        return caller.withQueue(new QueueKey(caller.region(), owner, request.queueName()), queues::describe)
                .thenApply(info -> Wire.result()
                        .put("QueueUrl", caller.queueUrl(info.key()))
                        .build());
    }
}
