package dev.sluice.protocol.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.AwsException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The query protocol's replies rendered as JSON, for a request that prefers {@code Accept: application/json} (SQS does
 * content negotiation on query requests; API Gateway's SQS integrations rely on it). This is not AWS JSON 1.0: it is
 * the query response tree, as AWS's own recordings show it:
 *
 * <ul>
 *   <li>{@code {"SendMessageResponse":{"ResponseMetadata":{"RequestId":…},"SendMessageResult":{…}}}}, members sorted
 *       by name at every level;
 *   <li>every member of a result structure present, {@code null} when absent ({@code "SequenceNumber":null}, an empty
 *       receive {@code "messages":null});
 *   <li>lists as arrays under the model's internal names, which differ from JSON 1.0 for two ({@code queueUrls},
 *       {@code messages}); maps as arrays of {@code {"Name","Value"}} ({@code {"Key","Value"}} for tags), the query
 *       protocol's map entries;
 *   <li>errors as {@code {"Error":{"Code","Message","Type"},"RequestId"}}.
 * </ul>
 *
 * Sources: replies recorded from AWS in the AWS serverless-patterns examples (SendMessage, ReceiveMessage) and by
 * LocalStack's AWS-validated TestSqsQueryApi (ListQueues, GetQueueAttributes, InvalidAction). Structures no recording
 * shows (the batch entries, move tasks) follow the same rules from the SQS model.
 */
final class JsonReplies {
    static final String CONTENT_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Result members of each action and of each structure, in the model's order, by their JSON 1.0 names. */
    private static final Map<String, List<String>> MEMBERS = Map.ofEntries(
            Map.entry("CreateQueue", List.of("QueueUrl")),
            Map.entry("GetQueueUrl", List.of("QueueUrl")),
            Map.entry("ListQueues", List.of("QueueUrls", "NextToken")),
            Map.entry("ListDeadLetterSourceQueues", List.of("queueUrls", "NextToken")),
            Map.entry("GetQueueAttributes", List.of("Attributes")),
            Map.entry("ListQueueTags", List.of("Tags")),
            Map.entry(
                    "SendMessage",
                    List.of(
                            "MD5OfMessageBody",
                            "MD5OfMessageAttributes",
                            "MD5OfMessageSystemAttributes",
                            "MessageId",
                            "SequenceNumber")),
            Map.entry("SendMessageBatch", List.of("Successful", "Failed")),
            Map.entry("DeleteMessageBatch", List.of("Successful", "Failed")),
            Map.entry("ChangeMessageVisibilityBatch", List.of("Successful", "Failed")),
            Map.entry("ReceiveMessage", List.of("Messages")),
            Map.entry("StartMessageMoveTask", List.of("TaskHandle")),
            Map.entry("CancelMessageMoveTask", List.of("ApproximateNumberOfMessagesMoved")),
            Map.entry("ListMessageMoveTasks", List.of("Results")),
            Map.entry(
                    "Message",
                    List.of(
                            "MessageId",
                            "ReceiptHandle",
                            "MD5OfBody",
                            "Body",
                            "Attributes",
                            "MD5OfMessageAttributes",
                            "MessageAttributes")),
            Map.entry(
                    "MessageAttributeValue",
                    List.of("StringValue", "BinaryValue", "StringListValues", "BinaryListValues", "DataType")),
            Map.entry(
                    "SendMessageBatchResultEntry",
                    List.of(
                            "Id",
                            "MessageId",
                            "MD5OfMessageBody",
                            "MD5OfMessageAttributes",
                            "MD5OfMessageSystemAttributes",
                            "SequenceNumber")),
            Map.entry("DeleteMessageBatchResultEntry", List.of("Id")),
            Map.entry("ChangeMessageVisibilityBatchResultEntry", List.of("Id")),
            Map.entry("BatchResultErrorEntry", List.of("Id", "SenderFault", "Code", "Message")),
            Map.entry(
                    "ListMessageMoveTasksResultEntry",
                    List.of(
                            "TaskHandle",
                            "Status",
                            "SourceArn",
                            "DestinationArn",
                            "MaxNumberOfMessagesPerSecond",
                            "ApproximateNumberOfMessagesMoved",
                            "ApproximateNumberOfMessagesToMove",
                            "FailureReason",
                            "StartedTimestamp")));

    /** Lists whose JSON name here is the model's internal one, not JSON 1.0's. */
    private static final Map<String, String> LEGACY_NAMES = Map.of("QueueUrls", "queueUrls", "Messages", "messages");

    private JsonReplies() {}

    /** Whether the request prefers JSON: application/json is listed before any XML type in its Accept header. */
    static boolean preferred(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (type.equals("application/json")) {
                return true;
            }
            if (type.equals("text/xml") || type.equals("application/xml")) {
                return false;
            }
        }
        return false;
    }

    static byte[] result(String action, boolean hasResult, Map<String, Object> result, String requestId) {
        Map<String, Object> response = new TreeMap<>();
        if (hasResult) {
            response.put(action + "Result", structure(action, action, result));
        }
        response.put("ResponseMetadata", Map.of("RequestId", requestId));
        return write(Map.of(action + "Response", response));
    }

    static byte[] error(AwsException error, String requestId) {
        Map<String, Object> detail = new TreeMap<>();
        detail.put("Code", error.error().queryCode());
        detail.put("Message", error.getMessage());
        detail.put("Type", error.error().senderFault() ? "Sender" : "Receiver");
        Map<String, Object> body = new TreeMap<>();
        body.put("Error", detail);
        body.put("RequestId", requestId);
        return write(body);
    }

    private static Map<String, Object> structure(String action, String shape, Map<?, ?> members) {
        Map<String, Object> out = new TreeMap<>();
        for (String name : MEMBERS.getOrDefault(shape, List.of())) {
            out.put(LEGACY_NAMES.getOrDefault(name, name), value(action, name, members.get(name)));
        }
        return out;
    }

    private static Object value(String action, String member, Object value) {
        return switch (value) {
            case null -> null;
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case List<?> items ->
                items.isEmpty()
                        ? null
                        : items.stream().map(item -> item(action, member, item)).toList();
            case Map<?, ?> map -> entries(action, member, map);
            default -> value;
        };
    }

    private static Object item(String action, String member, Object item) {
        if (!(item instanceof Map<?, ?> struct)) {
            return item;
        }
        String shape = switch (member) {
            case "Messages" -> "Message";
            case "Successful" -> action + "ResultEntry";
            case "Failed" -> "BatchResultErrorEntry";
            default -> "ListMessageMoveTasksResultEntry";
        };
        return structure(action, shape, struct);
    }

    /** A map member as the query protocol's entries: Name/Value, or Key/Value for tags. */
    private static List<Map<String, Object>> entries(String action, String member, Map<?, ?> map) {
        String key = member.equals("Tags") ? "Key" : "Name";
        List<Map<String, Object>> out = new ArrayList<>(map.size());
        map.forEach((name, value) -> {
            Map<String, Object> entry = new TreeMap<>();
            entry.put(key, name);
            entry.put(
                    "Value",
                    value instanceof Map<?, ?> attribute
                            ? structure(action, "MessageAttributeValue", attribute)
                            : value(action, member, value));
            out.add(entry);
        });
        return out;
    }

    private static byte[] write(Object tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of maps, lists and strings always writes", e);
        }
    }
}
