package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import org.junit.jupiter.api.Test;

class ReceiptHandleRulesTest {
    private static final long NOW = 1_767_225_600_000L;
    private static final ReceiptHandle SECOND_RECEIVE = new ReceiptHandle("queue-1", "message-1", 2, NOW - 1_000);
    private static final String ENCODED = SECOND_RECEIVE.encode();

    @Test
    void aHandleBelongsToItsQueue() {
        assertThat(ReceiptHandleRules.of("queue-1", ENCODED)).isEqualTo(SECOND_RECEIVE);
        assertThat(errorOf(() -> ReceiptHandleRules.of("queue-2", ENCODED)))
                .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        assertThat(errorOf(() -> ReceiptHandleRules.of("queue-1", "not a handle")))
                .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
    }

    @Test
    void standardQueuesDeleteWithAHandleOfTheLatestReceiveEvenAfterItsTimeout() {
        assertThat(ReceiptHandleRules.deletes(SECOND_RECEIVE, ENCODED, false, 2, NOW + 30_000, NOW))
                .isTrue();
        assertThat(ReceiptHandleRules.deletes(SECOND_RECEIVE, ENCODED, false, 2, NOW, NOW))
                .as("visible again")
                .isTrue();
    }

    @Test
    void standardQueuesAcceptAStaleHandleButDeleteNothing() {
        assertThat(ReceiptHandleRules.deletes(SECOND_RECEIVE, ENCODED, false, 3, NOW + 30_000, NOW))
                .isFalse();
    }

    @Test
    void fifoQueuesRefuseAHandleWhoseReceiveIsOver() {
        assertThat(ReceiptHandleRules.deletes(SECOND_RECEIVE, ENCODED, true, 2, NOW + 30_000, NOW))
                .isTrue();
        assertThat(errorOf(() -> ReceiptHandleRules.deletes(SECOND_RECEIVE, ENCODED, true, 2, NOW, NOW)))
                .as("timed out")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> ReceiptHandleRules.deletes(SECOND_RECEIVE, ENCODED, true, 3, NOW + 30_000, NOW)))
                .as("received again since")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void aVisibilityChangeAppliesOnlyWhileTheMessageIsInFlight() {
        assertThat(ReceiptHandleRules.changesVisibility(NOW + 1, NOW)).isTrue();
        assertThat(ReceiptHandleRules.changesVisibility(NOW, NOW)).isFalse();
        assertThat(ReceiptHandleRules.messageNotAvailable(ENCODED).error())
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }
}
