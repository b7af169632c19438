package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class ListQueuesHandler implements ActionHandler<ListQueuesRequest> {
    private final Queues queues;

    ListQueuesHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ListQueuesRequest decode(Params params) {
        return ListQueuesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ListQueuesRequest request) {
        return queues.queueNames(caller.region(), caller.accountId(), request.queueNamePrefix())
                .thenApply(names -> {
                    Paging.Page page = Paging.page(names, request.maxResults(), request.nextToken());
                    return Wire.result()
                            .put(
                                    "QueueUrls",
                                    page.names().stream()
                                            .map(name -> caller.queueUrl(
                                                    new QueueKey(caller.region(), caller.accountId(), name)))
                                            .toList())
                            .put("NextToken", page.nextToken())
                            .build();
                });
    }
}
