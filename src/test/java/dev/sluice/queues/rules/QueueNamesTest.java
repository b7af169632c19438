package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "Orders_2-b"})
    void standardNamesAre1To80NameCharacters(String name) {
        assertThatCode(() -> QueueNames.validate(name, false)).doesNotThrowAnyException();
        assertThatCode(() -> QueueNames.validate("x".repeat(80), false)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "dot.ted", "orders.fifo", "ünicode"})
    void otherStandardNamesAreRefused(String name) {
        assertThat(errorOf(() -> QueueNames.validate(name, false))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> QueueNames.validate("x".repeat(81), false)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void fifoNamesEndInDotFifoWhichCountsTowardThe80() {
        assertThatCode(() -> QueueNames.validate("x".repeat(75) + ".fifo", true))
                .doesNotThrowAnyException();
        assertThat(errorOf(() -> QueueNames.validate("x".repeat(76) + ".fifo", true)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> QueueNames.validate("orders", true))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> QueueNames.validate(".fifo", true))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void recreatingWithTheSameAttributesIsAllowed() {
        QueueSettings existing = QueueSettings.forNewQueue(Map.of("VisibilityTimeout", "45"));
        Map<String, String> requested = Map.of("VisibilityTimeout", "45");

        assertThatCode(() ->
                        QueueNames.requireSameAttributes(requested, QueueSettings.forNewQueue(requested), existing))
                .doesNotThrowAnyException();
        assertThatCode(() -> QueueNames.requireSameAttributes(Map.of(), QueueSettings.forNewQueue(Map.of()), existing))
                .as("attributes the request does not name are not compared")
                .doesNotThrowAnyException();
    }

    @Test
    void aDifferentValueIsQueueNameExists() {
        QueueSettings existing = QueueSettings.forNewQueue(Map.of("VisibilityTimeout", "45"));
        Map<String, String> requested = Map.of("VisibilityTimeout", "30");

        assertThat(errorOf(() ->
                        QueueNames.requireSameAttributes(requested, QueueSettings.forNewQueue(requested), existing)))
                .isEqualTo(QueueError.QUEUE_NAME_EXISTS);
    }

    @Test
    void anUnsetFifoQueueCountsAsFalse() {
        QueueSettings standard = QueueSettings.forNewQueue(Map.of());
        Map<String, String> requested = Map.of("FifoQueue", "false");

        assertThatCode(() -> QueueNames.requireSameAttributes(requested, standard, standard))
                .doesNotThrowAnyException();
    }
}
