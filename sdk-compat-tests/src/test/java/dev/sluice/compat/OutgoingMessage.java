package dev.sluice.compat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a test sends: a body, message attributes, an optional per-message DelaySeconds, an optional AWSTraceHeader
 * system attribute, and the FIFO (or fair-queue) MessageGroupId and MessageDeduplicationId. Null means "not sent".
 */
public record OutgoingMessage(
        String body,
        Map<String, MessageAttribute> attributes,
        Integer delaySeconds,
        String awsTraceHeader,
        String messageGroupId,
        String messageDeduplicationId) {

    public OutgoingMessage {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static OutgoingMessage of(String body) {
        return new OutgoingMessage(body, Map.of(), null, null, null, null);
    }

    public OutgoingMessage withAttribute(String name, MessageAttribute attribute) {
        var all = new LinkedHashMap<>(attributes);
        all.put(name, attribute);
        return new OutgoingMessage(body, all, delaySeconds, awsTraceHeader, messageGroupId, messageDeduplicationId);
    }

    public OutgoingMessage withAttributes(Map<String, MessageAttribute> more) {
        var all = new LinkedHashMap<>(attributes);
        all.putAll(more);
        return new OutgoingMessage(body, all, delaySeconds, awsTraceHeader, messageGroupId, messageDeduplicationId);
    }

    public OutgoingMessage withDelaySeconds(int seconds) {
        return new OutgoingMessage(body, attributes, seconds, awsTraceHeader, messageGroupId, messageDeduplicationId);
    }

    public OutgoingMessage withAwsTraceHeader(String traceHeader) {
        return new OutgoingMessage(body, attributes, delaySeconds, traceHeader, messageGroupId, messageDeduplicationId);
    }

    public OutgoingMessage withMessageGroupId(String groupId) {
        return new OutgoingMessage(body, attributes, delaySeconds, awsTraceHeader, groupId, messageDeduplicationId);
    }

    public OutgoingMessage withMessageDeduplicationId(String deduplicationId) {
        return new OutgoingMessage(body, attributes, delaySeconds, awsTraceHeader, messageGroupId, deduplicationId);
    }

    /** A FIFO message: the body in a group, deduplicated by an explicit id. */
    public static OutgoingMessage fifo(String body, String groupId, String deduplicationId) {
        return of(body).withMessageGroupId(groupId).withMessageDeduplicationId(deduplicationId);
    }
}
