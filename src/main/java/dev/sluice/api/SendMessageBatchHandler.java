package dev.sluice.api;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.SentMessage;
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

    private final Queues queues;

    SendMessageBatchHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public SendMessageBatchRequest decode(Params params) {
        return SendMessageBatchRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, SendMessageBatchRequest request) {
        return caller.withQueue(request.queueUrl(), queue -> send(caller, queue, request.entries()));
    }

    /** Request-level rules first, then the entries. */
    private CompletionStage<Map<String, Object>> send(
            Caller caller, QueueKey queue, List<SendMessageBatchRequest.Entry> entries) {
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
        return queues.sendBatch(queue, accepted, caller.access().maxMessages(queue.accountId()))
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
                            failed.add(BatchEntries.failure(id, worded(outcome.failure())));
                        }
                    }
                    return Wire.result()
                            .putList("Successful", successful)
                            .put("Failed", failed)
                            .build();
                });
    }

    /** SQS words an entry over the size limit differently in a batch (recorded in test_send_batch_message_size). */
    private static QueueException worded(QueueException failure) {
        if (failure.error() != QueueError.MESSAGE_TOO_LONG) {
            return failure;
        }
        String reason = failure.getMessage().substring(failure.getMessage().indexOf("Reason: "));
        return new QueueException(QueueError.MESSAGE_TOO_LONG, "One or more parameters cannot be validated. " + reason);
    }
}
