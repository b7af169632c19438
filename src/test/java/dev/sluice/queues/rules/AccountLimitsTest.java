package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import org.junit.jupiter.api.Test;

class AccountLimitsTest {

    @Test
    void aNewQueueNeedsRoomUnderTheAccountsQueueLimit() {
        assertThatCode(() -> AccountLimits.requireRoomForQueue("111111111111", 4, 5))
                .doesNotThrowAnyException();
        assertThat(errorOf(() -> AccountLimits.requireRoomForQueue("111111111111", 5, 5)))
                .isEqualTo(QueueError.OVER_LIMIT);
        assertThatCode(() -> AccountLimits.requireRoomForQueue("111111111111", 1_000_000, AccountLimits.NO_QUEUE_LIMIT))
                .doesNotThrowAnyException();
    }

    @Test
    void theMessageLimitIsOverLimitNamingTheAccount() {
        assertThat(AccountLimits.overMessageLimit("111111111111", 20).error()).isEqualTo(QueueError.OVER_LIMIT);
        assertThat(AccountLimits.overMessageLimit("111111111111", 20).getMessage())
                .isEqualTo("You have reached the limit of 20 stored messages for account 111111111111.");
    }
}
