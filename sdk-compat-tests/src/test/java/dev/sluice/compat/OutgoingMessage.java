package dev.sluice.compat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a test sends: a body, message attributes, an optional per-message DelaySeconds and an optional AWSTraceHeader
 * system attribute. Null means "not sent".
 */
public record OutgoingMessage(
        String body, Map<String, MessageAttribute> attributes, Integer delaySeconds, String awsTraceHeader) {

    public OutgoingMessage {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static OutgoingMessage of(String body) {
        return new OutgoingMessage(body, Map.of(), null, null);
    }

    public OutgoingMessage withAttribute(String name, MessageAttribute attribute) {
        var all = new LinkedHashMap<>(attributes);
        all.put(name, attribute);
        return new OutgoingMessage(body, all, delaySeconds, awsTraceHeader);
    }

    public OutgoingMessage withAttributes(Map<String, MessageAttribute> more) {
        var all = new LinkedHashMap<>(attributes);
        all.putAll(more);
        return new OutgoingMessage(body, all, delaySeconds, awsTraceHeader);
    }

    public OutgoingMessage withDelaySeconds(int seconds) {
        return new OutgoingMessage(body, attributes, seconds, awsTraceHeader);
    }

    public OutgoingMessage withAwsTraceHeader(String traceHeader) {
        return new OutgoingMessage(body, attributes, delaySeconds, traceHeader);
    }
}
