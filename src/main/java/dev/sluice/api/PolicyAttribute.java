package dev.sluice.api;

import dev.sluice.auth.CompiledPolicy;
import dev.sluice.auth.InvalidPolicyException;
import dev.sluice.queues.rules.QueueSettings;
import java.util.Map;

/**
 * The {@code Policy} attribute of CreateQueue and SetQueueAttributes, checked before the engine stores it: a policy
 * Sluice would not evaluate as AWS does is refused, never stored. SQS answers an invalid policy with
 * InvalidAttributeValue "Invalid value for the parameter Policy." and no reason; Sluice adds the reason.
 */
final class PolicyAttribute {
    private PolicyAttribute() {}

    static void check(Map<String, String> attributes) {
        String policy = attributes == null ? null : attributes.get(QueueSettings.POLICY);
        if (policy == null || policy.isEmpty()) {
            // Empty clears the attribute.
            return;
        }
        try {
            CompiledPolicy.validate(policy);
        } catch (InvalidPolicyException e) {
            throw new AwsException(
                    AwsErrors.INVALID_ATTRIBUTE_VALUE,
                    "Invalid value for the parameter Policy. Reason: " + e.getMessage());
        }
    }
}
