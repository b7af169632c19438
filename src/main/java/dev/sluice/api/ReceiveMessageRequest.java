package dev.sluice.api;

import java.util.List;

public record ReceiveMessageRequest(
        String queueUrl,
        List<String> attributeNames,
        List<String> messageSystemAttributeNames,
        List<String> messageAttributeNames,
        Integer maxNumberOfMessages,
        Integer visibilityTimeout,
        Integer waitTimeSeconds,
        String receiveRequestAttemptId) {

    static ReceiveMessageRequest from(Params params) {
        return new ReceiveMessageRequest(
                params.string("QueueUrl"),
                params.strings("AttributeNames"),
                params.strings("MessageSystemAttributeNames"),
                params.strings("MessageAttributeNames"),
                params.integer("MaxNumberOfMessages"),
                params.integer("VisibilityTimeout"),
                params.integer("WaitTimeSeconds"),
                params.string("ReceiveRequestAttemptId"));
    }
}
