package dev.sluice.queues.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.io.IOException;

/**
 * A queue's RedrivePolicy: where messages go after {@code maxReceiveCount} receives (SQS developer guide, dead-letter
 * queues). Parsed with Jackson — a library, not a framework, so every backend may use it.
 */
public record RedrivePolicy(QueueArn deadLetterTarget, int maxReceiveCount) {
    static final ObjectMapper JSON = new ObjectMapper();

    /** SQS: maxReceiveCount is 1 to 1,000. */
    static final int MAX_RECEIVE_COUNT = 1000;

    public static RedrivePolicy parse(String value) {
        JsonNode node = readObject(QueueSettings.REDRIVE_POLICY, value);
        JsonNode target = node.get("deadLetterTargetArn");
        JsonNode count = node.get("maxReceiveCount");
        if (target == null || !target.isTextual() || count == null) {
            throw invalid(value, "Redrive policy must contain deadLetterTargetArn and maxReceiveCount.");
        }
        int maxReceiveCount;
        try {
            maxReceiveCount = count.isNumber()
                    ? count.intValue()
                    : Integer.parseInt(count.asText().trim());
        } catch (NumberFormatException e) {
            throw invalid(value, "Invalid value for maxReceiveCount: " + count.asText() + ".");
        }
        if (maxReceiveCount < 1 || maxReceiveCount > MAX_RECEIVE_COUNT) {
            throw invalid(
                    value,
                    "Invalid value for maxReceiveCount: " + maxReceiveCount + ", valid values are from 1 to "
                            + MAX_RECEIVE_COUNT + " both inclusive.");
        }
        QueueArn arn = QueueArn.parse(target.asText());
        if (arn == null) {
            throw invalid(value, "Invalid deadLetterTargetArn: " + target.asText() + ".");
        }
        return new RedrivePolicy(arn, maxReceiveCount);
    }

    static JsonNode readObject(String attribute, String value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new QueueException(
                QueueError.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter " + attribute + ".");
    }

    public static QueueException invalid(String value, String reason) {
        return new QueueException(
                QueueError.INVALID_PARAMETER_VALUE,
                "Value " + value + " for parameter RedrivePolicy is invalid. Reason: " + reason);
    }
}
