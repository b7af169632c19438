package dev.sluice.queues.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Which source queues may use this queue as their dead-letter queue: allowAll (the default), denyAll, or byQueue
 * with at most 10 source queue ARNs (SetQueueAttributes API reference).
 */
public record RedriveAllowPolicy(String redrivePermission, List<QueueKey> sourceQueues) {
    public static final RedriveAllowPolicy ALLOW_ALL = new RedriveAllowPolicy("allowAll", List.of());
    private static final int MAX_SOURCE_QUEUES = 10;

    public static RedriveAllowPolicy parse(String value) {
        JsonNode node = RedrivePolicy.readObject(QueueSettings.REDRIVE_ALLOW_POLICY, value);
        String permission = node.path("redrivePermission").asText("");
        JsonNode sources = node.get("sourceQueueArns");
        if (!List.of("allowAll", "denyAll", "byQueue").contains(permission)) {
            throw invalid(value, "Invalid value for redrivePermission: " + permission + ".");
        }
        if (permission.equals("byQueue") != (sources != null)) {
            throw invalid(value, "sourceQueueArns must be given if and only if redrivePermission is byQueue.");
        }
        List<QueueKey> keys = new ArrayList<>();
        if (sources != null) {
            if (!sources.isArray() || sources.isEmpty() || sources.size() > MAX_SOURCE_QUEUES) {
                throw invalid(value, "sourceQueueArns must list 1 to " + MAX_SOURCE_QUEUES + " queue ARNs.");
            }
            for (JsonNode source : sources) {
                QueueArn arn = QueueArn.parse(source.asText());
                if (arn == null) {
                    throw invalid(value, "Invalid source queue ARN: " + source.asText() + ".");
                }
                keys.add(arn.key());
            }
        }
        return new RedriveAllowPolicy(permission, List.copyOf(keys));
    }

    /**
     * Whether the queue may use this one as its dead-letter queue. Sources are matched by account and name: a source
     * is always in its dead-letter queue's region, and an ARN stored before {@code sluice.region} was changed names
     * the region the default region had then.
     */
    public boolean allows(QueueKey source) {
        return switch (redrivePermission) {
            case "allowAll" -> true;
            case "byQueue" ->
                sourceQueues.stream()
                        .anyMatch(queue -> queue.accountId().equals(source.accountId())
                                && queue.name().equals(source.name()));
            default -> false;
        };
    }

    private static QueueException invalid(String value, String reason) {
        return new QueueException(
                QueueError.INVALID_PARAMETER_VALUE,
                "Value " + value + " for parameter RedriveAllowPolicy is invalid. Reason: " + reason);
    }
}
