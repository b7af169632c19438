package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.ReceiveOptions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiveRulesTest {
    private static final long NOW = 1_767_225_600_000L;
    private static final Duration TWELVE_HOURS = Duration.ofHours(12);

    private static ReceiveOptions options(int max, Duration visibility, Duration wait) {
        return new ReceiveOptions(max, Optional.ofNullable(visibility), Optional.ofNullable(wait));
    }

    @Test
    void maxNumberOfMessagesIs1To10() {
        assertThatCode(() -> ReceiveRules.validate(options(1, null, null))).doesNotThrowAnyException();
        assertThatCode(() -> ReceiveRules.validate(options(10, null, null))).doesNotThrowAnyException();
        assertThat(errorOf(() -> ReceiveRules.validate(options(0, null, null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> ReceiveRules.validate(options(11, null, null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void visibilityTimeoutIs0To12Hours() {
        assertThatCode(() -> ReceiveRules.validate(options(1, Duration.ZERO, null)))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReceiveRules.validate(options(1, TWELVE_HOURS, null)))
                .doesNotThrowAnyException();
        assertThat(errorOf(() -> ReceiveRules.validate(options(1, TWELVE_HOURS.plusSeconds(1), null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> ReceiveRules.requireVisibilityTimeout(Duration.ofSeconds(-1))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void waitTimeIs0To20Seconds() {
        assertThatCode(() -> ReceiveRules.validate(options(1, null, Duration.ofSeconds(20))))
                .doesNotThrowAnyException();
        assertThat(errorOf(() -> ReceiveRules.validate(options(1, null, Duration.ofSeconds(21)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> ReceiveRules.validate(options(1, null, Duration.ofSeconds(-1)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void aMessageStaysInFlightAtMost12HoursFromItsLastReceive() {
        long received = NOW - Duration.ofHours(2).toMillis();

        assertThat(ReceiveRules.inFlightLimitMillis(received)).isEqualTo(received + TWELVE_HOURS.toMillis());
        assertThat(ReceiveRules.visibleAt(received, Duration.ofHours(10), NOW))
                .isEqualTo(received + TWELVE_HOURS.toMillis());
        assertThat(errorOf(() ->
                        ReceiveRules.visibleAt(received, Duration.ofHours(10).plusMillis(1), NOW)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }
}
