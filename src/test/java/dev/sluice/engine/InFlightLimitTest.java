package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.QueuesFixture;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.SqsLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SQS's in-flight limit of 120,000 messages per queue (developer guide, standard and FIFO queue quotas): past it a
 * standard queue's short poll gets OverLimit, its long poll waits and ends empty, and a FIFO queue answers empty
 * without an error; deleting one in-flight message makes room for one receive.
 */
class InFlightLimitTest {
    private final QueuesFixture sluice = new QueuesFixture(Backends.EMBEDDED);

    private void sendMany(QueueKey queue, int count, boolean fifo) {
        for (int sent = 0; sent < count; sent += 10) {
            List<NewMessage> batch = new ArrayList<>(10);
            for (int i = 0; i < 10 && sent + i < count; i++) {
                batch.add(
                        fifo
                                ? new NewMessage(
                                        "m", Map.of(), Map.of(), Optional.empty(), "s", "g" + sent, "d" + (sent + i))
                                : message("m"));
            }
            join(sluice.queues.sendBatch(queue, batch, AccountLimits.NO_MESSAGE_LIMIT));
        }
    }

    /** Receives until the queue holds {@link SqsLimits#MAX_IN_FLIGHT} in flight; returns the last receipt handle. */
    private String receiveUpToTheLimit(QueueKey queue) {
        String last = null;
        for (int received = 0; received < SqsLimits.MAX_IN_FLIGHT; received += 10) {
            List<ReceivedMessage> got = sluice.receive(queue, 10, Duration.ofHours(1));
            assertThat(got).hasSize(10);
            last = got.getLast().receiptHandle();
        }
        return last;
    }

    @Test
    void aStandardQueueAnswersAShortPollPastTheLimitWithOverLimitAndALongPollWithNothing() {
        QueueKey queue = sluice.createQueue("busy");
        sendMany(queue, SqsLimits.MAX_IN_FLIGHT + 5, false);
        String handle = receiveUpToTheLimit(queue);
        assertThat(sluice.counts(queue)).containsExactly(5, SqsLimits.MAX_IN_FLIGHT, 0);

        assertThat(errorOf(() -> sluice.queues.receive(
                        queue, new ReceiveOptions(10, Optional.empty(), Optional.of(Duration.ZERO)))))
                .isEqualTo(QueueError.OVER_LIMIT);
        var longPoll = sluice.longPoll(queue, 10, Duration.ofSeconds(5));
        assertThat(longPoll).isNotDone();
        sluice.clock.advance(Duration.ofSeconds(5));
        assertThat(longPoll.join())
                .as("a long poll ends empty, without an error")
                .isEmpty();

        join(sluice.queues.deleteMessages(queue, List.of(handle)));
        assertThat(sluice.receive(queue, 10))
                .as("one deleted, one more may be in flight")
                .hasSize(1);
        assertThat(sluice.counts(queue)).containsExactly(4, SqsLimits.MAX_IN_FLIGHT, 0);
    }

    @Test
    void aFifoQueuePastTheLimitAnswersEmptyWithoutAnError() {
        QueueKey queue = sluice.createQueue("busy.fifo", Map.of("FifoQueue", "true"));
        sendMany(queue, SqsLimits.MAX_IN_FLIGHT + 5, true);
        receiveUpToTheLimit(queue);
        assertThat(sluice.receive(queue, 10)).isEmpty();
        assertThat(sluice.counts(queue)).containsExactly(5, SqsLimits.MAX_IN_FLIGHT, 0);
    }
}
