package dev.sluice.compat;

import java.util.List;

/**
 * The parameters of one ReceiveMessage call; null (or a null list) means "not sent", so the server's defaults apply.
 * {@code attributeNames} is the deprecated AttributeNames list, {@code systemAttributeNames} its replacement
 * MessageSystemAttributeNames. {@code receiveRequestAttemptId} is the FIFO ReceiveRequestAttemptId.
 */
public record ReceiveRequest(
        Integer maxNumberOfMessages,
        Integer visibilityTimeout,
        Integer waitTimeSeconds,
        List<String> attributeNames,
        List<String> systemAttributeNames,
        List<String> messageAttributeNames,
        String receiveRequestAttemptId) {

    /** Nothing but the defaults: one message, no attributes, the queue's visibility timeout and wait time. */
    public static ReceiveRequest defaults() {
        return new ReceiveRequest(null, null, null, null, null, null, null);
    }

    /** Up to {@code max} messages with short polling (WaitTimeSeconds=0). */
    public static ReceiveRequest upTo(int max) {
        return defaults().maxNumberOfMessages(max).waitTimeSeconds(0);
    }

    public ReceiveRequest maxNumberOfMessages(Integer max) {
        return new ReceiveRequest(
                max,
                visibilityTimeout,
                waitTimeSeconds,
                attributeNames,
                systemAttributeNames,
                messageAttributeNames,
                receiveRequestAttemptId);
    }

    public ReceiveRequest visibilityTimeout(Integer seconds) {
        return new ReceiveRequest(
                maxNumberOfMessages,
                seconds,
                waitTimeSeconds,
                attributeNames,
                systemAttributeNames,
                messageAttributeNames,
                receiveRequestAttemptId);
    }

    public ReceiveRequest waitTimeSeconds(Integer seconds) {
        return new ReceiveRequest(
                maxNumberOfMessages,
                visibilityTimeout,
                seconds,
                attributeNames,
                systemAttributeNames,
                messageAttributeNames,
                receiveRequestAttemptId);
    }

    public ReceiveRequest attributeNames(String... names) {
        return new ReceiveRequest(
                maxNumberOfMessages,
                visibilityTimeout,
                waitTimeSeconds,
                List.of(names),
                systemAttributeNames,
                messageAttributeNames,
                receiveRequestAttemptId);
    }

    public ReceiveRequest systemAttributeNames(String... names) {
        return new ReceiveRequest(
                maxNumberOfMessages,
                visibilityTimeout,
                waitTimeSeconds,
                attributeNames,
                List.of(names),
                messageAttributeNames,
                receiveRequestAttemptId);
    }

    public ReceiveRequest messageAttributeNames(String... names) {
        return new ReceiveRequest(
                maxNumberOfMessages,
                visibilityTimeout,
                waitTimeSeconds,
                attributeNames,
                systemAttributeNames,
                List.of(names),
                receiveRequestAttemptId);
    }

    public ReceiveRequest receiveRequestAttemptId(String attemptId) {
        return new ReceiveRequest(
                maxNumberOfMessages,
                visibilityTimeout,
                waitTimeSeconds,
                attributeNames,
                systemAttributeNames,
                messageAttributeNames,
                attemptId);
    }
}
