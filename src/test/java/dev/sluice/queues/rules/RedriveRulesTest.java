package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedriveRulesTest {
    private static final QueueKey SOURCE = new QueueKey("us-east-1", "000000000000", "orders");
    private static final QueueKey DLQ = new QueueKey("us-east-1", "000000000000", "dlq");
    private final Map<QueueKey, QueueSettings> queues = new HashMap<>();

    private static QueueSettings redrivingTo(QueueKey target, Map<String, String> more) {
        Map<String, String> attributes = new HashMap<>(more);
        attributes.put(
                "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:" + target.accountId() + ":" + target.name()
                        + "\",\"maxReceiveCount\":3}");
        return QueueSettings.forNewQueue(attributes);
    }

    private QueueError refusal(QueueSettings settings) {
        return errorOf(() -> RedriveRules.validate(SOURCE, settings, queues::get));
    }

    @Test
    void aQueueWithoutRedrivePolicyNeedsNothing() {
        assertThatCode(() -> RedriveRules.validate(SOURCE, QueueSettings.forNewQueue(Map.of()), queues::get))
                .doesNotThrowAnyException();
    }

    @Test
    void theTargetMustExist() {
        assertThat(refusal(redrivingTo(DLQ, Map.of()))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        queues.put(DLQ, QueueSettings.forNewQueue(Map.of()));
        assertThatCode(() -> RedriveRules.validate(SOURCE, redrivingTo(DLQ, Map.of()), queues::get))
                .doesNotThrowAnyException();
    }

    @Test
    void theTargetMustBeOfTheSameAccountAndType() {
        QueueKey elsewhere = new QueueKey("us-east-1", "111111111111", "dlq");
        queues.put(elsewhere, QueueSettings.forNewQueue(Map.of()));
        assertThat(refusal(redrivingTo(elsewhere, Map.of()))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        queues.put(DLQ, QueueSettings.forNewQueue(Map.of("FifoQueue", "true")));
        assertThat(refusal(redrivingTo(DLQ, Map.of()))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void theTargetsRedriveAllowPolicyMustLetTheSourceIn() {
        queues.put(DLQ, QueueSettings.forNewQueue(Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}")));
        assertThat(refusal(redrivingTo(DLQ, Map.of()))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        queues.put(
                DLQ,
                QueueSettings.forNewQueue(Map.of(
                        "RedriveAllowPolicy",
                        "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":"
                                + "[\"arn:aws:sqs:us-east-1:000000000000:orders\"]}")));
        assertThatCode(() -> RedriveRules.validate(SOURCE, redrivingTo(DLQ, Map.of()), queues::get))
                .doesNotThrowAnyException();
    }

    @Test
    void redrivesToNamesTheTargetOnly() {
        QueueSettings settings = redrivingTo(DLQ, Map.of());

        assertThat(RedriveRules.redrivesTo(SOURCE, settings, DLQ)).isTrue();
        assertThat(RedriveRules.redrivesTo(SOURCE, settings, SOURCE)).isFalse();
        assertThat(RedriveRules.redrivesTo(SOURCE, QueueSettings.forNewQueue(Map.of()), DLQ))
                .isFalse();
    }
}
