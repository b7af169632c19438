package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.util.Map;

/**
 * SQS's two kinds of server-side encryption, one at a time: SSE-SQS ({@code SqsManagedSseEnabled}, on by default) or
 * SSE-KMS ({@code KmsMasterKeyId} plus {@code KmsDataKeyReusePeriodSeconds}). Setting a KMS key turns SSE-SQS off;
 * clearing the key (an empty value) removes both KMS attributes; asking for both at once is InvalidAttributeName (all three recorded
 * against AWS in LocalStack's test_set_queue_attributes_default_values and test_sse_kms_and_sqs_are_mutually_exclusive).
 */
final class ServerSideEncryption {
    private ServerSideEncryption() {}

    /**
     * The queue's attributes after {@code changes} (already validated and merged into {@code merged}), with the
     * encryption rules applied.
     */
    static Map<String, String> apply(Map<String, String> changes, Map<String, String> merged) {
        boolean keyChanged = hasKey(changes);
        boolean sqsManagedRequested = "true".equals(changes.get(QueueSettings.SQS_MANAGED_SSE_ENABLED));
        // Also refused: SSE-SQS asked for on a queue that keeps its KMS key (our reading; AWS documents only that the
        // two kinds exclude each other).
        if (sqsManagedRequested
                && (keyChanged || hasKey(merged) && !changes.containsKey(QueueSettings.KMS_MASTER_KEY_ID))) {
            throw new QueueException(
                    QueueError.INVALID_ATTRIBUTE_NAME,
                    "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or"
                            + " SQS SSE.");
        }
        if (keyChanged) {
            merged.put(QueueSettings.SQS_MANAGED_SSE_ENABLED, "false");
        }
        if (changes.containsKey(QueueSettings.KMS_MASTER_KEY_ID) && !keyChanged) {
            merged.remove(QueueSettings.KMS_MASTER_KEY_ID);
            merged.remove(QueueSettings.KMS_DATA_KEY_REUSE_PERIOD_SECONDS);
        }
        return merged;
    }

    private static boolean hasKey(Map<String, String> attributes) {
        String key = attributes.get(QueueSettings.KMS_MASTER_KEY_ID);
        return key != null && !key.isEmpty();
    }
}
