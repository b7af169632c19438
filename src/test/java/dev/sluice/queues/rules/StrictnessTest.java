package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import org.junit.jupiter.api.Test;

class StrictnessTest {
    private static final QueueKey QUEUE = new QueueKey("us-east-1", "000000000000", "orders");
    private static final long NOW = 1_767_225_600_000L;

    @Test
    void strictRefusesANameDeletedLessThan60SecondsAgo() {
        assertThat(errorOf(() -> Strictness.STRICT.requireRecreatable(NOW - 59_999, NOW)))
                .isEqualTo(QueueError.QUEUE_DELETED_RECENTLY);
        assertThatCode(() -> Strictness.STRICT.requireRecreatable(NOW - 60_000, NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> Strictness.STRICT.requireRecreatable(null, NOW)).doesNotThrowAnyException();
    }

    @Test
    void strictRefusesAPurgeLessThan60SecondsAfterTheLast() {
        assertThat(errorOf(() -> Strictness.STRICT.requirePurgeable(QUEUE, NOW - 59_999, NOW)))
                .isEqualTo(QueueError.PURGE_IN_PROGRESS);
        assertThatCode(() -> Strictness.STRICT.requirePurgeable(QUEUE, NOW - 60_000, NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> Strictness.STRICT.requirePurgeable(QUEUE, null, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void lenientWaivesBoth() {
        assertThatCode(() -> Strictness.LENIENT.requireRecreatable(NOW, NOW)).doesNotThrowAnyException();
        assertThatCode(() -> Strictness.LENIENT.requirePurgeable(QUEUE, NOW, NOW))
                .doesNotThrowAnyException();
    }
}
