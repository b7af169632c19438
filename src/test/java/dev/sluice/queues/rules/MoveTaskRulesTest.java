package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.StartMoveTask;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MoveTaskRulesTest {
    private static final QueueKey DLQ = new QueueKey("us-east-1", "000000000000", "dlq");
    private static final QueueKey ORDERS = new QueueKey("us-east-1", "000000000000", "orders");
    private static final QueueKey MISSING = new QueueKey("us-east-1", "000000000000", "missing");
    private static final Predicate<QueueKey> EXISTS = Set.of(DLQ, ORDERS)::contains;
    private static final Predicate<QueueKey> IS_DEAD_LETTER_QUEUE = DLQ::equals;

    private static StartMoveTask task(QueueKey source, QueueKey destination, Integer rate) {
        return new StartMoveTask(source, arn(source), destination, destination == null ? null : arn(destination), rate);
    }

    private static String arn(QueueKey queue) {
        return "arn:aws:sqs:us-east-1:" + queue.accountId() + ":" + queue.name();
    }

    private static QueueError startRefusal(StartMoveTask task) {
        return errorOf(() -> MoveTaskRules.validateStart(task, EXISTS, IS_DEAD_LETTER_QUEUE));
    }

    @Test
    void aTaskMovesOutOfAnExistingDeadLetterQueue() {
        assertThatCode(() -> MoveTaskRules.validateStart(task(DLQ, null, null), EXISTS, IS_DEAD_LETTER_QUEUE))
                .doesNotThrowAnyException();
        assertThat(startRefusal(task(MISSING, null, null))).isEqualTo(QueueError.RESOURCE_NOT_FOUND);
        assertThat(startRefusal(task(ORDERS, null, null))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void aNamedDestinationMustExist() {
        assertThatCode(() -> MoveTaskRules.validateStart(task(DLQ, ORDERS, null), EXISTS, IS_DEAD_LETTER_QUEUE))
                .doesNotThrowAnyException();
        assertThat(startRefusal(task(DLQ, MISSING, null))).isEqualTo(QueueError.RESOURCE_NOT_FOUND);
    }

    @Test
    void theRateIs1To500AMissingOneMeans500() {
        for (int rate : new int[] {1, 500}) {
            assertThatCode(() -> MoveTaskRules.validateStart(task(DLQ, null, rate), EXISTS, IS_DEAD_LETTER_QUEUE))
                    .doesNotThrowAnyException();
        }
        assertThat(startRefusal(task(DLQ, null, 0))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(startRefusal(task(DLQ, null, 501))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(MoveTaskRules.messagesPerSecond(null)).isEqualTo(500);
        assertThat(MoveTaskRules.messagesPerSecond(7)).isEqualTo(7);
    }

    @Test
    void anUnknownHandleIsAnsweredByWhatItNames() {
        String ofAnExistingQueue = new MoveTaskHandle("task-1", arn(DLQ)).encode();
        String ofAMissingQueue = new MoveTaskHandle("task-1", arn(MISSING)).encode();

        assertThat(MoveTaskRules.unknownTask(ofAnExistingQueue, EXISTS).getMessage())
                .isEqualTo("Task does not exist.");
        assertThat(MoveTaskRules.unknownTask(ofAMissingQueue, EXISTS).getMessage())
                .contains("SourceArn");
        assertThat(errorOf(() -> MoveTaskRules.unknownTask("not a handle", EXISTS)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }
}
