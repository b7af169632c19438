package dev.sluice.api;

import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.NewMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Decoding and encoding of the message members SendMessage, its batch entries and ReceiveMessage share. */
final class MessageFields {
    private static final String AWS_TRACE_HEADER = "AWSTraceHeader";

    private MessageFields() {}

    /** The message members of a SendMessage request or a SendMessageBatch entry. */
    record Sent(
            String messageBody,
            Integer delaySeconds,
            Map<String, MessageAttribute> messageAttributes,
            Map<String, MessageAttribute> messageSystemAttributes,
            String messageDeduplicationId,
            String messageGroupId) {

        /** {@code traceHeader}: the request's X-Amzn-Trace-Id, or null. */
        static Sent from(Params params, String traceHeader) {
            return new Sent(
                    params.string("MessageBody"),
                    params.integer("DelaySeconds"),
                    attributes(params, "MessageAttributes"),
                    systemAttributes(params, traceHeader),
                    params.string("MessageDeduplicationId"),
                    params.string("MessageGroupId"));
        }

        NewMessage toNewMessage(String senderId) {
            return new NewMessage(
                    messageBody,
                    messageAttributes,
                    messageSystemAttributes,
                    Optional.ofNullable(delaySeconds).map(Duration::ofSeconds),
                    senderId,
                    messageGroupId,
                    messageDeduplicationId);
        }

        /** What this entry adds to a batch's size: body and attributes (SendMessageBatch: at most 1 MiB in all). */
        long size() {
            long size = messageBody == null ? 0 : messageBody.getBytes(StandardCharsets.UTF_8).length;
            for (Map.Entry<String, MessageAttribute> entry : messageAttributes.entrySet()) {
                MessageAttribute value = entry.getValue();
                size += entry.getKey().length()
                        + (value.dataType() == null ? 0 : value.dataType().length());
                size += value.binaryValue() != null
                        ? value.binaryValue().length
                        : value.stringValue() == null ? 0 : value.stringValue().getBytes(StandardCharsets.UTF_8).length;
            }
            return size;
        }
    }

    /**
     * The MessageSystemAttributes, with the X-Amzn-Trace-Id header as AWSTraceHeader unless they set their own (X-Ray
     * developer guide, "Amazon SQS and AWS X-Ray": the header applies to every message of a SendMessage or
     * SendMessageBatch; the system attribute overrides it).
     */
    private static Map<String, MessageAttribute> systemAttributes(Params params, String traceHeader) {
        Map<String, MessageAttribute> attributes = attributes(params, "MessageSystemAttributes");
        if (traceHeader == null || attributes.containsKey(AWS_TRACE_HEADER)) {
            return attributes;
        }
        Map<String, MessageAttribute> withHeader = new LinkedHashMap<>(attributes);
        withHeader.put(AWS_TRACE_HEADER, new MessageAttribute("String", traceHeader, null));
        return withHeader;
    }

    static Map<String, MessageAttribute> attributes(Params params, String member) {
        Map<String, Params> raw = params.structMap(member);
        if (raw.isEmpty()) {
            return Map.of();
        }
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        raw.forEach((name, value) -> out.put(
                name,
                new MessageAttribute(
                        value.string("DataType"), value.string("StringValue"), value.binary("BinaryValue"))));
        return out;
    }

    static Map<String, Object> encode(Map<String, MessageAttribute> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            Map<String, Object> encoded = new LinkedHashMap<>();
            if (value.binaryValue() != null) {
                encoded.put("BinaryValue", value.binaryValue());
            } else {
                encoded.put("StringValue", value.stringValue());
            }
            encoded.put("DataType", value.dataType());
            out.put(name, encoded);
        });
        return out;
    }
}
