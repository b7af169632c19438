package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settable attributes of a queue, validated with AWS's ranges (CreateQueue / SetQueueAttributes API reference)
 * and kept both typed, for the rules, and as the strings the user set, for GetQueueAttributes and the store.
 */
public record QueueSettings(
        Duration visibilityTimeout,
        Duration delay,
        int maximumMessageSize,
        Duration messageRetentionPeriod,
        Duration receiveMessageWaitTime,
        boolean fifo,
        boolean contentBasedDeduplication,
        boolean deduplicationPerMessageGroup,
        RedrivePolicy redrivePolicy,
        RedriveAllowPolicy redriveAllowPolicy,
        Map<String, String> values) {

    public static final String VISIBILITY_TIMEOUT = "VisibilityTimeout";
    public static final String DELAY_SECONDS = "DelaySeconds";
    public static final String MAXIMUM_MESSAGE_SIZE = "MaximumMessageSize";
    public static final String MESSAGE_RETENTION_PERIOD = "MessageRetentionPeriod";
    public static final String RECEIVE_MESSAGE_WAIT_TIME_SECONDS = "ReceiveMessageWaitTimeSeconds";
    public static final String POLICY = "Policy";
    public static final String REDRIVE_POLICY = "RedrivePolicy";
    public static final String REDRIVE_ALLOW_POLICY = "RedriveAllowPolicy";
    public static final String KMS_MASTER_KEY_ID = "KmsMasterKeyId";
    public static final String KMS_DATA_KEY_REUSE_PERIOD_SECONDS = "KmsDataKeyReusePeriodSeconds";
    public static final String SQS_MANAGED_SSE_ENABLED = "SqsManagedSseEnabled";
    public static final String FIFO_QUEUE = "FifoQueue";
    public static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";
    public static final String DEDUPLICATION_SCOPE = "DeduplicationScope";
    public static final String FIFO_THROUGHPUT_LIMIT = "FifoThroughputLimit";

    /** SQS: a message may stay in flight for at most 12 hours. */
    public static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

    /** SQS: long polls wait at most 20 seconds. */
    public static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);

    /** SQS: per-message and queue delays are at most 15 minutes. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    /** What a new standard queue has when nothing is set (SQS developer guide, quotas). */
    private static final Map<String, String> DEFAULTS = Map.of(
            VISIBILITY_TIMEOUT, "30",
            DELAY_SECONDS, "0",
            MAXIMUM_MESSAGE_SIZE, "1048576",
            MESSAGE_RETENTION_PERIOD, "345600",
            RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "0",
            SQS_MANAGED_SSE_ENABLED, "true");

    /** Attributes a user can set and read back; the rest of GetQueueAttributes' names are computed. */
    public static final Set<String> SETTABLE = Set.of(
            VISIBILITY_TIMEOUT,
            DELAY_SECONDS,
            MAXIMUM_MESSAGE_SIZE,
            MESSAGE_RETENTION_PERIOD,
            RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            POLICY,
            REDRIVE_POLICY,
            REDRIVE_ALLOW_POLICY,
            KMS_MASTER_KEY_ID,
            KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
            SQS_MANAGED_SSE_ENABLED,
            FIFO_QUEUE,
            CONTENT_BASED_DEDUPLICATION,
            DEDUPLICATION_SCOPE,
            FIFO_THROUGHPUT_LIMIT);

    /** What a new FIFO queue has besides the standard defaults. */
    private static final Map<String, String> FIFO_DEFAULTS = Map.of(
            FIFO_QUEUE, "true",
            CONTENT_BASED_DEDUPLICATION, "false",
            DEDUPLICATION_SCOPE, "queue",
            FIFO_THROUGHPUT_LIMIT, "perQueue");

    private static final Set<String> FIFO_ONLY =
            Set.of(CONTENT_BASED_DEDUPLICATION, DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

    /** Validates the attributes of a new queue and fills in AWS's defaults. */
    public static QueueSettings forNewQueue(Map<String, String> requested) {
        boolean fifo = "true".equalsIgnoreCase(requested.get(FIFO_QUEUE));
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        if (fifo) {
            values.putAll(FIFO_DEFAULTS);
        }
        Map<String, String> changes = validated(requested, true, fifo);
        values.putAll(changes);
        return checkedTogether(ServerSideEncryption.apply(changes, values));
    }

    /** Validates a SetQueueAttributes change and returns the settings with it applied. */
    public QueueSettings with(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        Map<String, String> valid = validated(changes, false, fifo);
        valid.forEach((name, value) -> {
            if (value.isEmpty() && !isNumeric(name)) {
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        return checkedTogether(ServerSideEncryption.apply(valid, merged));
    }

    /** SQS: FifoThroughputLimit perMessageGroupId requires DeduplicationScope messageGroup. */
    private static QueueSettings checkedTogether(Map<String, String> values) {
        if ("perMessageGroupId".equals(values.get(FIFO_THROUGHPUT_LIMIT))
                && !"messageGroup".equals(values.get(DEDUPLICATION_SCOPE))) {
            throw invalidValue(
                    FIFO_THROUGHPUT_LIMIT,
                    "The value for FifoThroughputLimit can only be perMessageGroupId when DeduplicationScope is"
                            + " messageGroup.");
        }
        return of(values);
    }

    /** Rebuilds settings from stored values, which were validated when they were set. */
    public static QueueSettings of(Map<String, String> values) {
        return new QueueSettings(
                Duration.ofSeconds(Long.parseLong(values.get(VISIBILITY_TIMEOUT))),
                Duration.ofSeconds(Long.parseLong(values.get(DELAY_SECONDS))),
                Integer.parseInt(values.get(MAXIMUM_MESSAGE_SIZE)),
                Duration.ofSeconds(Long.parseLong(values.get(MESSAGE_RETENTION_PERIOD))),
                Duration.ofSeconds(Long.parseLong(values.get(RECEIVE_MESSAGE_WAIT_TIME_SECONDS))),
                "true".equals(values.get(FIFO_QUEUE)),
                "true".equals(values.get(CONTENT_BASED_DEDUPLICATION)),
                "messageGroup".equals(values.get(DEDUPLICATION_SCOPE)),
                values.containsKey(REDRIVE_POLICY) ? RedrivePolicy.parse(values.get(REDRIVE_POLICY)) : null,
                values.containsKey(REDRIVE_ALLOW_POLICY)
                        ? RedriveAllowPolicy.parse(values.get(REDRIVE_ALLOW_POLICY))
                        : RedriveAllowPolicy.ALLOW_ALL,
                Map.copyOf(values));
    }

    private static Map<String, String> validated(Map<String, String> requested, boolean creating, boolean fifo) {
        Map<String, String> out = new LinkedHashMap<>();
        requested.forEach((name, rawValue) -> {
            if (!SETTABLE.contains(name)) {
                throw new QueueException(QueueError.INVALID_ATTRIBUTE_NAME, "Unknown Attribute " + name + ".");
            }
            if (!fifo && FIFO_ONLY.contains(name)) {
                throw notForStandardQueues(name);
            }
            String value = rawValue == null ? "" : rawValue;
            if (!XmlCharacters.allowed(value)) {
                // Stored and returned by GetQueueAttributes: only text a query-protocol reply can carry.
                throw invalidValue(name, "The value contains a character that is not allowed.");
            }
            switch (name) {
                case VISIBILITY_TIMEOUT -> requireInteger(name, value, 0, 43_200);
                case DELAY_SECONDS -> requireInteger(name, value, 0, 900);
                case MAXIMUM_MESSAGE_SIZE -> requireInteger(name, value, 1_024, 1_048_576);
                case MESSAGE_RETENTION_PERIOD -> requireInteger(name, value, 60, 1_209_600);
                case RECEIVE_MESSAGE_WAIT_TIME_SECONDS -> requireInteger(name, value, 0, 20);
                case KMS_DATA_KEY_REUSE_PERIOD_SECONDS -> requireInteger(name, value, 60, 86_400);
                case SQS_MANAGED_SSE_ENABLED -> requireBoolean(name, value);
                case FIFO_QUEUE -> {
                    requireBoolean(name, value);
                    // SQS knows FifoQueue only on FIFO queues (localstack#10812); there, setting it to true again is a
                    // no-op and false is refused (both recorded against AWS in LocalStack's test_sqs.py).
                    if (!fifo) {
                        throw new QueueException(QueueError.INVALID_ATTRIBUTE_NAME, "Unknown Attribute FifoQueue.");
                    }
                    if (!creating && !value.equalsIgnoreCase("true")) {
                        throw invalidValue(name, "Modifying queue type is not supported.");
                    }
                }
                case CONTENT_BASED_DEDUPLICATION -> requireBoolean(name, value);
                case DEDUPLICATION_SCOPE -> requireOneOf(name, value, "messageGroup", "queue");
                case FIFO_THROUGHPUT_LIMIT -> requireOneOf(name, value, "perQueue", "perMessageGroupId");
                case POLICY -> {
                    // SQS refuses a Policy that is not a JSON policy document; what it grants is auth's business.
                    if (!value.isEmpty()
                            && !RedrivePolicy.readObject(name, value).has("Statement")) {
                        throw invalidValue(name, "The policy must contain a Statement.");
                    }
                }
                case REDRIVE_POLICY -> {
                    if (!value.isEmpty()) {
                        RedrivePolicy.parse(value);
                    }
                }
                case REDRIVE_ALLOW_POLICY -> {
                    if (!value.isEmpty()) {
                        RedriveAllowPolicy.parse(value);
                    }
                }
                default -> {}
            }
            out.put(name, normalize(name, value));
        });
        return out;
    }

    /**
     * SQS on a standard queue: ContentBasedDeduplication is an unknown attribute, the high-throughput ones are named
     * with the rule they break (recorded against AWS in LocalStack's
     * test_create_standard_queue_with_fifo_attribute_raises_error).
     */
    private static QueueException notForStandardQueues(String name) {
        String message = name.equals(CONTENT_BASED_DEDUPLICATION)
                ? "Unknown Attribute " + name + "."
                : "You can specify the " + name + " only when FifoQueue is set to true.";
        return new QueueException(QueueError.INVALID_ATTRIBUTE_NAME, message);
    }

    private static String normalize(String name, String value) {
        return switch (name) {
            case SQS_MANAGED_SSE_ENABLED, FIFO_QUEUE, CONTENT_BASED_DEDUPLICATION ->
                value.toLowerCase(java.util.Locale.ROOT);
            default -> isNumeric(name) ? String.valueOf(Long.parseLong(value.trim())) : value;
        };
    }

    private static boolean isNumeric(String name) {
        return switch (name) {
            case VISIBILITY_TIMEOUT,
                    DELAY_SECONDS,
                    MAXIMUM_MESSAGE_SIZE,
                    MESSAGE_RETENTION_PERIOD,
                    RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
                    KMS_DATA_KEY_REUSE_PERIOD_SECONDS -> true;
            default -> false;
        };
    }

    private static void requireInteger(String name, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalidValue(name, null);
        }
        if (parsed < min || parsed > max) {
            throw invalidValue(name, null);
        }
    }

    private static void requireOneOf(String name, String value, String... allowed) {
        if (!java.util.Arrays.asList(allowed).contains(value)) {
            throw invalidValue(name, null);
        }
    }

    private static void requireBoolean(String name, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalidValue(name, null);
        }
    }

    private static QueueException invalidValue(String name, String reason) {
        return new QueueException(
                QueueError.INVALID_ATTRIBUTE_VALUE,
                "Invalid value for the parameter " + name + "." + (reason == null ? "" : " Reason: " + reason));
    }
}
