package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The queues whose RedrivePolicy names this queue, paged like ListQueues (JSON member {@code queueUrls}). */
final class ListDeadLetterSourceQueuesHandler implements ActionHandler<ListDeadLetterSourceQueuesRequest> {
    private final QueueEngine engine;

    ListDeadLetterSourceQueuesHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public ListDeadLetterSourceQueuesRequest decode(Params params) {
        return ListDeadLetterSourceQueuesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ListDeadLetterSourceQueuesRequest request) {
        QueueKey queue = caller.queue(request.queueUrl());
        var sources = engine.deadLetterSourceQueues(queue);
        Paging.Page page =
                Paging.page(sources.stream().map(QueueKey::name).toList(), request.maxResults(), request.nextToken());
        return CompletableFuture.completedFuture(Wire.result()
                .putList(
                        "queueUrls",
                        page.names().stream()
                                .map(name -> caller.queueUrl(sources.stream()
                                        .filter(key -> key.name().equals(name))
                                        .findFirst()
                                        .orElseThrow()))
                                .toList())
                .put("NextToken", page.nextToken())
                .build());
    }
}
