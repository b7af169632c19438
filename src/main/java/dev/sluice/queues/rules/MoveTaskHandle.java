package dev.sluice.queues.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A message move task's handle, in AWS's shape: base64 of {@code {"taskId":…,"sourceArn":…}} (as SQS hands it out;
 * LocalStack records the same against AWS). Tasks are stored by their handle and resume after a restart, and Sluice
 * before this shape made base64url of {@code "<taskId> <sourceArn>"}: such a stored task keeps its handle, and
 * {@link #parse} reads both, so a handle a client got from an older version still cancels its task.
 */
public record MoveTaskHandle(String taskId, String sourceArn) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        ObjectNode document = JSON.createObjectNode();
        document.put("taskId", taskId);
        document.put("sourceArn", sourceArn);
        return Base64.getEncoder().encodeToString(document.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The task id and source ARN a handle names, or empty for a handle of neither shape. */
    public static Optional<MoveTaskHandle> parse(String handle) {
        if (handle == null) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = handle.indexOf('-') >= 0 || handle.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(handle)
                    : Base64.getDecoder().decode(handle);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        return text.startsWith("{") ? fromJson(text) : fromEarlierShape(text);
    }

    private static Optional<MoveTaskHandle> fromJson(String text) {
        try {
            JsonNode document = JSON.readTree(text);
            JsonNode taskId = document.get("taskId");
            JsonNode sourceArn = document.get("sourceArn");
            return taskId != null && taskId.isTextual() && sourceArn != null && sourceArn.isTextual()
                    ? Optional.of(new MoveTaskHandle(taskId.asText(), sourceArn.asText()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<MoveTaskHandle> fromEarlierShape(String text) {
        int space = text.indexOf(' ');
        return space > 0 && QueueArn.parse(text.substring(space + 1)) != null
                ? Optional.of(new MoveTaskHandle(text.substring(0, space), text.substring(space + 1)))
                : Optional.empty();
    }
}
