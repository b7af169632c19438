package dev.sluice.api;

import dev.sluice.engine.MessageDigests;
import dev.sluice.engine.QueueKey;
import dev.sluice.engine.ReceiveOptions;
import dev.sluice.engine.ReceivedMessage;
import dev.sluice.engine.SequenceNumbers;
import dev.sluice.queues.Queues;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredMessageAttribute;
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
        return caller.withQueue(request.queueUrl(), queue -> queues.receive(queue, options))
                .thenApply(messages -> {
                    List<Map<String, Object>> encoded = new ArrayList<>(messages.size());
                    for (ReceivedMessage message : messages) {
                        encoded.add(encode(caller, message, systemNames, request.messageAttributeNames()));
                    }
                    return Wire.result().put("Messages", encoded).build();
                });
    }

    private static Map<String, Object> encode(
            Caller caller, ReceivedMessage received, Set<String> systemNames, List<String> attributeNames) {
        StoredMessage message = received.message();
        Map<String, StoredMessageAttribute> attributes = selectAttributes(message.messageAttributes(), attributeNames);
        String md5OfAttributes =
                attributes.size() == message.messageAttributes().size()
                        ? received.md5OfMessageAttributes()
                        : MessageDigests.ofAttributes(attributes);
        return Wire.result()
                .put("MessageId", message.messageId())
                .put("ReceiptHandle", received.receiptHandle())
                .put("MD5OfBody", received.md5OfBody())
                .put("Body", message.body())
                .put("Attributes", systemAttributes(caller, received, systemNames))
                .put("MD5OfMessageAttributes", md5OfAttributes)
                .put("MessageAttributes", MessageFields.encode(attributes))
                .build();
    }

    private static Map<String, String> systemAttributes(Caller caller, ReceivedMessage received, Set<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        StoredMessage message = received.message();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SenderId", message.senderId());
        all.put("SentTimestamp", String.valueOf(message.sentMillis()));
        all.put("ApproximateReceiveCount", String.valueOf(received.receiveCount()));
        all.put(
                "ApproximateFirstReceiveTimestamp",
                String.valueOf(received.firstReceiveTimestamp().toEpochMilli()));
        StoredMessageAttribute traceHeader = message.systemAttributes().get("AWSTraceHeader");
        if (traceHeader != null) {
            all.put("AWSTraceHeader", traceHeader.stringValue());
        }
        if (message.messageGroupId() != null) {
            all.put("MessageGroupId", message.messageGroupId());
        }
        if (message.messageDeduplicationId() != null) {
            all.put("MessageDeduplicationId", message.messageDeduplicationId());
            // Only FIFO messages have a deduplication id, and only they carry a SequenceNumber.
            all.put("SequenceNumber", SequenceNumbers.format(message.sequence()));
        }
        if (message.deadLetterSourceQueue() != null) {
            String[] source = message.deadLetterSourceQueue().split("/", 2);
            all.put("DeadLetterQueueSourceArn", caller.queueArn(new QueueKey(source[0], source[1])));
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

    private static Map<String, StoredMessageAttribute> selectAttributes(
            Map<String, StoredMessageAttribute> attributes, List<String> requested) {
        if (attributes.isEmpty() || requested.isEmpty()) {
            return Map.of();
        }
        if (requested.contains(ALL) || requested.contains(".*") || requested.contains("*")) {
            return attributes;
        }
        Map<String, StoredMessageAttribute> selected = new LinkedHashMap<>();
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
