package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendRulesTest {
    private static final QueueSettings STANDARD = QueueSettings.forNewQueue(Map.of("DelaySeconds", "5"));
    private static final QueueSettings FIFO = QueueSettings.forNewQueue(Map.of("FifoQueue", "true"));
    private static final QueueSettings CONTENT_BASED =
            QueueSettings.forNewQueue(Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
    private static final QueueSettings PER_GROUP = QueueSettings.forNewQueue(Map.of(
            "FifoQueue", "true", "DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));

    private static NewMessage message(String group, String deduplicationId) {
        return new NewMessage("body", Map.of(), Map.of(), Optional.empty(), "sender", group, deduplicationId);
    }

    private static NewMessage delayed(Duration delay) {
        return new NewMessage("body", Map.of(), Map.of(), Optional.of(delay), "sender", "g", "d");
    }

    @Test
    void standardQueuesHaveNoDeduplicationId() {
        assertThat(SendRules.deduplicationId(message(null, null), STANDARD)).isNull();
        assertThat(SendRules.deduplicationId(message("fair-queue-group", null), STANDARD))
                .isNull();
        assertThat(errorOf(() -> SendRules.deduplicationId(message(null, "d"), STANDARD)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void fifoMessagesNeedAGroupAndADeduplicationId() {
        assertThat(errorOf(() -> SendRules.deduplicationId(message(null, "d"), FIFO)))
                .isEqualTo(QueueError.MISSING_PARAMETER);
        assertThat(errorOf(() -> SendRules.deduplicationId(message("g", null), FIFO)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(SendRules.deduplicationId(message("g", "d"), FIFO)).isEqualTo("d");
    }

    @Test
    void contentBasedDeduplicationUsesTheSha256OfTheBody() {
        assertThat(SendRules.deduplicationId(message("g", null), CONTENT_BASED))
                .isEqualTo("230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5");
        assertThat(SendRules.deduplicationId(message("g", "explicit"), CONTENT_BASED))
                .as("an explicit id wins")
                .isEqualTo("explicit");
    }

    @Test
    void idsAre1To128PrintableAsciiCharacters() {
        assertThat(SendRules.deduplicationId(message("g".repeat(128), "!~".repeat(64)), FIFO))
                .hasSize(128);
        for (String bad : List.of("", "g".repeat(129), "with space", "ü")) {
            assertThat(errorOf(() -> SendRules.deduplicationId(message(bad, "d"), FIFO)))
                    .as("group id %s", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
            assertThat(errorOf(() -> SendRules.deduplicationId(message("g", bad), FIFO)))
                    .as("deduplication id %s", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }
    }

    @Test
    void fifoMessagesTakeTheQueuesDelayAndNoneOfTheirOwn() {
        assertThat(errorOf(() -> SendRules.deduplicationId(delayed(Duration.ofSeconds(1)), FIFO)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThatCode(() -> SendRules.deduplicationId(delayed(Duration.ZERO), FIFO))
                .doesNotThrowAnyException();
        assertThat(SendRules.delay(delayed(Duration.ZERO), FIFO)).isEqualTo(FIFO.delay());
    }

    @Test
    void standardMessagesTakeTheirOwnDelayOrTheQueues() {
        assertThat(SendRules.delay(delayed(Duration.ofSeconds(9)), STANDARD)).isEqualTo(Duration.ofSeconds(9));
        assertThat(SendRules.delay(message(null, null), STANDARD)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void deduplicationIsPerGroupWhenTheScopeIsMessageGroup() {
        assertThat(SendRules.deduplicationKey(message("g", "d"), FIFO, "d")).isEqualTo("d");
        assertThat(SendRules.deduplicationKey(message("g", "d"), PER_GROUP, "d"))
                .isEqualTo("g d");
    }

    @Test
    void aFifoBatchMissingAnIdFailsAsAWhole() {
        List<NewMessage> complete = List.of(message("g", "1"), message("g", "2"));
        assertThatCode(() -> SendRules.requireBatchIds(FIFO, complete)).doesNotThrowAnyException();
        assertThat(errorOf(() -> SendRules.requireBatchIds(FIFO, List.of(message("g", "1"), message(null, "2")))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> SendRules.requireBatchIds(FIFO, List.of(message("g", null)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThatCode(() -> SendRules.requireBatchIds(CONTENT_BASED, List.of(message("g", null))))
                .doesNotThrowAnyException();
        assertThatCode(() -> SendRules.requireBatchIds(STANDARD, List.of(message(null, null))))
                .doesNotThrowAnyException();
    }
}
