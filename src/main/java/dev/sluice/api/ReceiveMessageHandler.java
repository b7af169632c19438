package dev.sluice.api;

import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.MessageDigests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * ReceiveMessage. Which system attributes and message attributes come back is chosen by the request
 * (AttributeNames and MessageSystemAttributeNames together; MessageAttributeNames with All, .*, * or prefix.*,
 * which SQS documents as "attributes starting with a prefix, for example bar.*": bar.* matches barrel too), and
 * MD5OfMessageAttributes covers exactly the attributes returned, as the SDKs check it.
 */
final class ReceiveMessageHandler implements ActionHandler<ReceiveMessageRequest> {
    private static final String ALL = "All";

    private final Queues queues;

    ReceiveMessageHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ReceiveMessageRequest decode(Params params) {
        return ReceiveMessageRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ReceiveMessageRequest request) {
        ReceiveOptions options = new ReceiveOptions(
                request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages(),
                Optional.ofNullable(request.visibilityTimeout()).map(Duration::ofSeconds),
                Optional.ofNullable(request.waitTimeSeconds()).map(Duration::ofSeconds),
                request.receiveRequestAttemptId());
        Set<String> systemNames = new HashSet<>(request.attributeNames());
        systemNames.addAll(request.messageSystemAttributeNames());
        return caller.withQueue(
                request.queueUrl(),
                queue -> queues.receive(queue, options).thenApply(messages -> {
                    List<Map<String, Object>> encoded = new ArrayList<>(messages.size());
                    try {
                        for (ReceivedMessage message : messages) {
                            encoded.add(encode(caller, message, systemNames, request.messageAttributeNames()));
                        }
                    } catch (RuntimeException e) {
                        queues.unreceive(
                                queue,
                                messages.stream()
                                        .map(ReceivedMessage::receiptHandle)
                                        .toList());
                        throw e;
                    }
                    return Wire.result().put("Messages", encoded).build();
                }));
    }

    /** The messages of a receive whose answer was lost become visible again, that receive not counted. */
    @Override
    public void undelivered(Caller caller, Params params, Map<String, Object> result) {
        if (result.get("Messages") instanceof List<?> messages && !messages.isEmpty()) {
            List<String> handles = new ArrayList<>(messages.size());
            for (Object message : messages) {
                if (message instanceof Map<?, ?> fields && fields.get("ReceiptHandle") instanceof String handle) {
                    handles.add(handle);
                }
            }
            queues.unreceive(caller.queueKey(params.string("QueueUrl")), handles);
        }
    }

    private static Map<String, Object> encode(
            Caller caller, ReceivedMessage message, Set<String> systemNames, List<String> attributeNames) {
        Map<String, MessageAttribute> attributes = selectAttributes(message.messageAttributes(), attributeNames);
        String md5OfAttributes =
                attributes.size() == message.messageAttributes().size()
                        ? message.md5OfMessageAttributes()
                        : MessageDigests.ofAttributes(attributes);
        return Wire.result()
                .put("MessageId", message.messageId())
                .put("ReceiptHandle", message.receiptHandle())
                .put("MD5OfBody", message.md5OfBody())
                .put("Body", message.body())
                .put("Attributes", systemAttributes(caller, message, systemNames))
                .put("MD5OfMessageAttributes", md5OfAttributes)
                .put("MessageAttributes", MessageFields.encode(attributes))
                .build();
    }

    private static Map<String, String> systemAttributes(Caller caller, ReceivedMessage message, Set<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SenderId", message.senderId());
        all.put("SentTimestamp", String.valueOf(message.sentTimestamp().toEpochMilli()));
        all.put("ApproximateReceiveCount", String.valueOf(message.receiveCount()));
        all.put(
                "ApproximateFirstReceiveTimestamp",
                String.valueOf(message.firstReceiveTimestamp().toEpochMilli()));
        MessageAttribute traceHeader = message.systemAttributes().get("AWSTraceHeader");
        if (traceHeader != null) {
            all.put("AWSTraceHeader", traceHeader.stringValue());
        }
        if (message.messageGroupId() != null) {
            all.put("MessageGroupId", message.messageGroupId());
        }
        if (message.messageDeduplicationId() != null) {
            all.put("MessageDeduplicationId", message.messageDeduplicationId());
        }
        if (message.sequenceNumber() != null) {
            all.put("SequenceNumber", message.sequenceNumber());
        }
        if (message.deadLetterSourceQueue() != null) {
            all.put("DeadLetterQueueSourceArn", caller.queueArn(message.deadLetterSourceQueue()));
        }
        if (names.contains(ALL)) {
            return all;
        }
        Map<String, String> selected = new LinkedHashMap<>();
        all.forEach((name, value) -> {
            if (names.contains(name)) {
                selected.put(name, value);
            }
        });
        return selected;
    }

    private static Map<String, MessageAttribute> selectAttributes(
            Map<String, MessageAttribute> attributes, List<String> requested) {
        if (attributes.isEmpty() || requested.isEmpty()) {
            return Map.of();
        }
        if (requested.contains(ALL) || requested.contains(".*") || requested.contains("*")) {
            return attributes;
        }
        Map<String, MessageAttribute> selected = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            for (String pattern : requested) {
                boolean matches = pattern.endsWith(".*")
                        ? name.startsWith(pattern.substring(0, pattern.length() - 2))
                        : name.equals(pattern);
                if (matches) {
                    selected.put(name, value);
                    break;
                }
            }
        });
        return selected;
    }
}
