package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The queues whose RedrivePolicy names this queue, paged like ListQueues (JSON member {@code queueUrls}). */
final class ListDeadLetterSourceQueuesHandler implements ActionHandler<ListDeadLetterSourceQueuesRequest> {
    private final Queues queues;

    ListDeadLetterSourceQueuesHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ListDeadLetterSourceQueuesRequest decode(Params params) {
        return ListDeadLetterSourceQueuesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ListDeadLetterSourceQueuesRequest request) {
        return caller.withQueue(request.queueUrl(), queues::deadLetterSourceQueues)
                .thenApply(sources -> {
                    Paging.Page page = Paging.page(
                            sources.stream().map(QueueKey::name).toList(), request.maxResults(), request.nextToken());
                    return Wire.result()
                            .putList(
                                    "queueUrls",
                                    page.names().stream()
                                            .map(name -> caller.queueUrl(sources.stream()
                                                    .filter(key -> key.name().equals(name))
                                                    .findFirst()
                                                    .orElseThrow()))
                                            .toList())
                            .put("NextToken", page.nextToken())
                            .build();
                });
    }
}
