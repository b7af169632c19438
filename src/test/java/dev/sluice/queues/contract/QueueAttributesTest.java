package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ranges of the settable queue attributes (CreateQueue / SetQueueAttributes API reference): both ends inclusive,
 * one past either end INVALID_ATTRIBUTE_VALUE, through CreateQueue and SetQueueAttributes alike.
 */
@QueuesContract
class QueueAttributesTest extends QueuesCase {
    private final QueueKey existing;

    QueueAttributesTest(Backend backend) {
        super(backend);
        this.existing = sluice.createQueue("existing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"KmsMasterKeyId", "Policy", "RedrivePolicy"})
    void valueWithACharacterXmlCannotCarryIsInvalidAttributeValue(String name) {
        String value = name.equals("KmsMasterKeyId") ? "alias/key\u0001" : "{\"Statement\":[],\"x\":\"\uFFFE\"}";

        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of(name, value))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        assertThat(errorOf(() -> sluice.queues.createQueue(key("refused"), Map.of(name, value), Map.of())))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        assertThat(sluice.info(existing).settings().values()).doesNotContainKey(name);
    }

    @ParameterizedTest(name = "{0} {1}..{2}")
    @CsvSource({
        "VisibilityTimeout, 0, 43200",
        "DelaySeconds, 0, 900",
        "MaximumMessageSize, 1024, 1048576",
        "MessageRetentionPeriod, 60, 1209600",
        "ReceiveMessageWaitTimeSeconds, 0, 20",
        "KmsDataKeyReusePeriodSeconds, 60, 86400"
    })
    void numericAttributeAcceptsItsRangeInclusive(String name, long min, long max) {
        QueueKey atMin = sluice.createQueue("at-min", Map.of(name, String.valueOf(min)));
        QueueKey atMax = sluice.createQueue("at-max", Map.of(name, String.valueOf(max)));
        assertThat(sluice.info(atMin).settings().values()).containsEntry(name, String.valueOf(min));
        assertThat(sluice.info(atMax).settings().values()).containsEntry(name, String.valueOf(max));

        join(sluice.queues.setAttributes(existing, Map.of(name, String.valueOf(min))));
        assertThat(sluice.info(existing).settings().values()).containsEntry(name, String.valueOf(min));
        join(sluice.queues.setAttributes(existing, Map.of(name, String.valueOf(max))));
        assertThat(sluice.info(existing).settings().values()).containsEntry(name, String.valueOf(max));
    }

    @ParameterizedTest(name = "{0} {1}..{2}")
    @CsvSource({
        "VisibilityTimeout, 0, 43200",
        "DelaySeconds, 0, 900",
        "MaximumMessageSize, 1024, 1048576",
        "MessageRetentionPeriod, 60, 1209600",
        "ReceiveMessageWaitTimeSeconds, 0, 20",
        "KmsDataKeyReusePeriodSeconds, 60, 86400"
    })
    void numericAttributeRejectsOneBelowAndOneAboveAndNonNumbers(String name, long min, long max) {
        Map<String, String> before = sluice.info(existing).settings().values();
        for (String value : new String[] {String.valueOf(min - 1), String.valueOf(max + 1), "ten", "1.5", ""}) {
            assertThat(errorOf(() -> sluice.queues.createQueue(key("rejected"), Map.of(name, value), Map.of())))
                    .as("CreateQueue %s=%s", name, value)
                    .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
            assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of(name, value))))
                    .as("SetQueueAttributes %s=%s", name, value)
                    .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        }
        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, null))).containsExactly("existing");
        assertThat(sluice.info(existing).settings().values()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "TRUE", "False"})
    void sqsManagedSseEnabledAcceptsBooleansInAnyCase(String value) {
        join(sluice.queues.setAttributes(existing, Map.of("SqsManagedSseEnabled", value)));

        assertThat(sluice.info(existing).settings().values())
                .containsEntry("SqsManagedSseEnabled", value.toLowerCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", ""})
    void sqsManagedSseEnabledRejectsNonBooleans(String value) {
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of("SqsManagedSseEnabled", value))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"Policy|{\"Version\":\"2012-10-17\",\"Statement\":[]}", "KmsMasterKeyId|alias/aws/sqs"})
    void policyAndKmsKeyAreStoredAndClearedWithEmptyValue(String name, String value) {
        join(sluice.queues.setAttributes(existing, Map.of(name, value)));
        assertThat(sluice.info(existing).settings().values()).containsEntry(name, value);

        join(sluice.queues.setAttributes(existing, Map.of(name, "")));
        assertThat(sluice.info(existing).settings().values()).doesNotContainKey(name);
    }

    @Test
    void settingAKmsKeyTurnsSqsManagedEncryptionOffAndClearingItRemovesBothKmsAttributes() {
        assertThat(sluice.info(existing).settings().values()).containsEntry("SqsManagedSseEnabled", "true");

        join(sluice.queues.setAttributes(
                existing, Map.of("KmsMasterKeyId", "testKeyId", "KmsDataKeyReusePeriodSeconds", "6000")));
        assertThat(sluice.info(existing).settings().values())
                .containsEntry("KmsMasterKeyId", "testKeyId")
                .containsEntry("KmsDataKeyReusePeriodSeconds", "6000")
                .containsEntry("SqsManagedSseEnabled", "false");

        // Recorded against AWS in LocalStack's test_set_queue_attributes_default_values.
        join(sluice.queues.setAttributes(
                existing, Map.of("KmsMasterKeyId", "", "KmsDataKeyReusePeriodSeconds", "300")));
        assertThat(sluice.info(existing).settings().values())
                .doesNotContainKeys("KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds")
                .containsEntry("SqsManagedSseEnabled", "false");
    }

    @Test
    void aKmsKeyTogetherWithSqsManagedEncryptionIsRefused() {
        assertThatThrownBy(() -> sluice.queues.setAttributes(
                        existing, Map.of("KmsMasterKeyId", "testKeyId", "SqsManagedSseEnabled", "true")))
                .hasMessage("You can use one type of server-side encryption (SSE) at one time. You can either enable"
                        + " KMS SSE or SQS SSE.")
                .extracting(e -> ((QueueException) e).error())
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        assertThat(sluice.info(existing).settings().values()).doesNotContainKey("KmsMasterKeyId");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ContentBasedDeduplication|false|Unknown Attribute ContentBasedDeduplication.",
                "DeduplicationScope|queue|You can specify the DeduplicationScope only when FifoQueue is set to true.",
                "FifoThroughputLimit|perQueue|You can specify the FifoThroughputLimit only when FifoQueue is set to true."
            })
    void fifoOnlyAttributesOnAStandardQueueAreInvalidAttributeNames(String name, String value, String message) {
        // Recorded against AWS in LocalStack's test_create_standard_queue_with_fifo_attribute_raises_error.
        assertThatThrownBy(() -> sluice.queues.createQueue(key("standard"), Map.of(name, value), Map.of()))
                .hasMessage(message);
        assertThatThrownBy(() -> sluice.queues.setAttributes(existing, Map.of(name, value)))
                .hasMessage(message)
                .extracting(e -> ((QueueException) e).error())
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"some value", "[]", "{\"Version\":\"2012-10-17\"}"})
    void policyThatIsNoPolicyDocumentIsInvalidAttributeValue(String value) {
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of("Policy", value))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bogus",
                "visibilityTimeout",
                "QueueArn",
                "ApproximateNumberOfMessages",
                "CreatedTimestamp",
                "All"
            })
    void unknownOrReadOnlyAttributeNameIsInvalidAttributeName(String name) {
        assertThat(errorOf(() -> sluice.queues.createQueue(key("rejected"), Map.of(name, "1"), Map.of())))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of(name, "1"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void fifoQueueCannotBeChangedAfterCreation(String value) {
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of("FifoQueue", value))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
    }

    @ParameterizedTest
    @CsvSource({
        "FifoQueue, false, INVALID_ATTRIBUTE_NAME",
        "FifoQueue, true, INVALID_PARAMETER_VALUE",
        "FifoQueue, maybe, INVALID_ATTRIBUTE_VALUE"
    })
    void fifoQueueAtCreation(String name, String value, QueueError expected) {
        // A FIFO queue's name must end in .fifo: "rejected" is not one.
        if (expected == null) {
            QueueKey queue = sluice.createQueue("standard", Map.of(name, value));
            assertThat(sluice.info(queue).settings().fifo()).isFalse();
        } else {
            assertThat(errorOf(() -> sluice.queues.createQueue(key("rejected"), Map.of(name, value), Map.of())))
                    .isEqualTo(expected);
        }
    }

    /** Reading taken: InvalidAttributeName, as LocalStack records for AWS ("Unknown Attribute"). */
    @ParameterizedTest
    @CsvSource({"ContentBasedDeduplication, true", "DeduplicationScope, queue", "FifoThroughputLimit, perQueue"})
    void fifoOnlyAttributesAreRejectedOnStandardQueues(String name, String value) {
        assertThat(errorOf(() -> sluice.queues.createQueue(key("rejected"), Map.of(name, value), Map.of())))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of(name, value))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RedrivePolicy", "RedriveAllowPolicy"})
    void incompleteRedrivePoliciesAreRejectedAndPoliciesMayBeCleared(String name) {
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, Map.of(name, "{\"maxReceiveCount\":\"5\"}"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);

        join(sluice.queues.setAttributes(existing, Map.of(name, "")));
        assertThat(sluice.info(existing).settings().values()).doesNotContainKey(name);
    }

    @Test
    void oneInvalidAttributeRejectsTheWholeChange() {
        assertThat(errorOf(() -> sluice.queues.setAttributes(
                        existing, Map.of("VisibilityTimeout", "45", "DelaySeconds", "901"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);

        assertThat(sluice.info(existing).settings().values()).containsEntry("VisibilityTimeout", "30");
    }

    @Test
    void numericValuesAreStoredCanonically() {
        join(sluice.queues.setAttributes(existing, Map.of("VisibilityTimeout", "045")));

        assertThat(sluice.info(existing).settings().values()).containsEntry("VisibilityTimeout", "45");
    }
}
