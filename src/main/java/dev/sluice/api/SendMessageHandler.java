package dev.sluice.api;

import dev.sluice.queues.Queues;
import dev.sluice.queues.SentMessage;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class SendMessageHandler implements ActionHandler<SendMessageRequest> {
    private final Queues queues;

    SendMessageHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public SendMessageRequest decode(Params params) {
        return SendMessageRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, SendMessageRequest request) {
        return caller.withQueue(
                        request.queueUrl(),
                        queue -> queues.send(
                                queue,
                                request.message().toNewMessage(caller.accountId()),
                                caller.access().maxMessages(queue.accountId())))
                .thenApply(SendMessageHandler::encode);
    }

    static Map<String, Object> encode(SentMessage sent) {
        return Wire.result()
                .put("MD5OfMessageBody", sent.md5OfMessageBody())
                .put("MD5OfMessageAttributes", sent.md5OfMessageAttributes())
                .put("MD5OfMessageSystemAttributes", sent.md5OfMessageSystemAttributes())
                .put("MessageId", sent.messageId())
                .put("SequenceNumber", sent.sequenceNumber())
                .build();
    }
}
