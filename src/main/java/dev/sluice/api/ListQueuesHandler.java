package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

final class ListQueuesHandler implements ActionHandler<ListQueuesRequest> {
    private final QueueEngine engine;

    ListQueuesHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public ListQueuesRequest decode(Params params) {
        return ListQueuesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ListQueuesRequest request) {
        Paging.Page page = Paging.page(
                engine.queueNames(caller.accountId(), request.queueNamePrefix()),
                request.maxResults(),
                request.nextToken());
        return CompletableFuture.completedFuture(Wire.result()
                .put(
                        "QueueUrls",
                        page.names().stream()
                                .map(name -> caller.queueUrl(new QueueKey(caller.accountId(), name)))
                                .toList())
                .put("NextToken", page.nextToken())
                .build());
    }
}
