package dev.sluice.api;

import dev.sluice.engine.NewMessage;
import dev.sluice.engine.Outcome;
import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import dev.sluice.engine.SentMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * SendMessageBatch: request-level rules first (entry ids, count, total size of 1 MiB), then each entry is sent or
 * fails on its own, and every accepted entry shares one durable commit.
 */
final class SendMessageBatchHandler implements ActionHandler<SendMessageBatchRequest> {
    /** SQS: the bodies and attributes of a batch may add up to 1 MiB. */
    private static final long MAX_BATCH_BYTES = 1_048_576;

    private final QueueEngine engine;

    SendMessageBatchHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public SendMessageBatchRequest decode(Params params) {
        return SendMessageBatchRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, SendMessageBatchRequest request) {
        QueueKey queue = caller.queue(request.queueUrl());
        List<SendMessageBatchRequest.Entry> entries = request.entries();
        BatchEntries.validate(
                "SendMessageBatchRequestEntry",
                entries.stream().map(SendMessageBatchRequest.Entry::id).toList());
        long size = entries.stream().mapToLong(entry -> entry.message().size()).sum();
        if (size > MAX_BATCH_BYTES) {
            throw new AwsException(
                    AwsErrors.BATCH_REQUEST_TOO_LONG,
                    "Batch requests cannot be longer than " + MAX_BATCH_BYTES + " bytes. You have sent " + size
                            + " bytes.");
        }
        engine.queue(queue);
        List<Map<String, Object>> failed = new ArrayList<>();
        List<String> acceptedIds = new ArrayList<>();
        List<NewMessage> accepted = new ArrayList<>();
        for (SendMessageBatchRequest.Entry entry : entries) {
            try {
                accepted.add(entry.message().toNewMessage(caller.accountId()));
                acceptedIds.add(entry.id());
            } catch (AwsException e) {
                failed.add(BatchEntries.failure(entry.id(), e));
            }
        }
        return engine.sendBatch(queue, accepted, caller.access().maxMessages(queue.accountId()))
                .thenApply(outcomes -> {
                    List<Map<String, Object>> successful = new ArrayList<>();
                    for (int i = 0; i < outcomes.size(); i++) {
                        Outcome<SentMessage> outcome = outcomes.get(i);
                        String id = acceptedIds.get(i);
                        if (outcome.succeeded()) {
                            Map<String, Object> entry = new java.util.LinkedHashMap<>(BatchEntries.success(id));
                            entry.putAll(SendMessageHandler.encode(outcome.value()));
                            successful.add(entry);
                        } else {
                            failed.add(BatchEntries.failure(id, outcome.failure()));
                        }
                    }
                    return Wire.result()
                            .putList("Successful", successful)
                            .putList("Failed", failed)
                            .build();
                });
    }
}
