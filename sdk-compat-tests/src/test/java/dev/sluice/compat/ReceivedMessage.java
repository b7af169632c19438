package dev.sluice.compat;

import java.util.Map;

/**
 * One message from ReceiveMessage. {@code attributes} are the system attributes (SenderId, SentTimestamp, …) and
 * {@code messageAttributes} the user attributes; both are empty when none came back.
 */
public record ReceivedMessage(
        String messageId,
        String receiptHandle,
        String body,
        String md5OfBody,
        String md5OfMessageAttributes,
        Map<String, String> attributes,
        Map<String, MessageAttribute> messageAttributes) {

    public int approximateReceiveCount() {
        return Integer.parseInt(attributes.get("ApproximateReceiveCount"));
    }
}
