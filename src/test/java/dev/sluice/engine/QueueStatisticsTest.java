package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.QueueStatistics;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.FifoFixture;
import dev.sluice.queues.contract.QueuesFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine's {@link QueueStatistics}, the counts behind the per-queue metrics: gauges as GetQueueAttributes
 * gives them, counters of what happened, on the fake clock.
 */
class QueueStatisticsTest {
    private final QueuesFixture sluice = new QueuesFixture(Backends.EMBEDDED);
    private final QueueStatistics statistics = ((QueueEngine) sluice.queues).statistics();

    private QueueStatistics.Counts of(QueueKey queue) {
        return statistics.read().stream()
                .filter(counts -> counts.key().equals(queue))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void sendThreeReceiveTwoDeleteOne() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "a");
        sluice.send(queue, "bb");
        sluice.send(queue, message("ccc", Map.of("kind", new MessageAttribute("String", "x", null))));
        List<ReceivedMessage> received = sluice.receive(queue, 2, Duration.ofSeconds(30));
        join(sluice.queues.deleteMessage(queue, received.getFirst().receiptHandle()));

        QueueStatistics.Counts counts = of(queue);

        assertThat(List.of(counts.visible(), counts.notVisible(), counts.delayed()))
                .isEqualTo(sluice.counts(queue))
                .containsExactly(1, 1, 0);
        assertThat(counts.sent()).isEqualTo(3);
        assertThat(counts.sentBytes()).isEqualTo(1 + 2 + 3 + "kind".length() + "String".length() + 1);
        assertThat(counts.received()).isEqualTo(2);
        assertThat(counts.deleted()).isEqualTo(1);
        assertThat(counts.emptyReceives()).isZero();
        assertThat(counts.deadLetterQueue()).isFalse();
    }

    @Test
    void gaugesFollowTheClockWithoutARequest() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, message("later", Duration.ofSeconds(10)));
        sluice.send(queue, "now");
        sluice.receive(queue, 1, Duration.ofSeconds(5));
        assertThat(of(queue))
                .extracting(c -> List.of(c.visible(), c.notVisible(), c.delayed()))
                .isEqualTo(List.of(0, 1, 1));

        sluice.clock.advanceSeconds(10);

        QueueStatistics.Counts counts = of(queue);
        assertThat(List.of(counts.visible(), counts.notVisible(), counts.delayed()))
                .isEqualTo(List.of(2, 0, 0));
        assertThat(counts.ageOfOldestMillis()).isEqualTo(10_000);
    }

    @Test
    void emptyReceivesCountShortPollsAndLongPollsThatEndEmpty() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.receive(queue, 1);
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 1, Duration.ofSeconds(20));
        assertThat(of(queue).emptyReceives())
                .as("a parked poll is no empty receive yet")
                .isEqualTo(1);

        sluice.clock.advanceSeconds(20);

        assertThat(poll).isCompletedWithValue(List.of());
        assertThat(of(queue).emptyReceives()).isEqualTo(2);
        CompletableFuture<List<ReceivedMessage>> served = sluice.longPoll(queue, 1, Duration.ofSeconds(20));
        sluice.send(queue, "wakes it");
        assertThat(served.join()).hasSize(1);
        assertThat(of(queue).emptyReceives()).isEqualTo(2);
        assertThat(of(queue).received()).isEqualTo(1);
    }

    @Test
    void deadLetterMovesCountOnTheSourceAndMarkTheTarget() {
        QueueKey dlq = sluice.createQueue("dlq");
        QueueKey source = sluice.createQueue("source", QueuesFixture.redrive(dlq, 1));
        sluice.send(source, "poison");
        sluice.receive(source, 1, Duration.ZERO);
        sluice.receive(source, 1, Duration.ZERO);

        assertThat(of(source).deadLettered()).isEqualTo(1);
        assertThat(of(source).received()).isEqualTo(1);
        assertThat(of(dlq).visible()).isEqualTo(1);
        assertThat(of(dlq).deadLetterQueue()).isTrue();
        assertThat(of(dlq).sent()).as("a move is no send").isZero();
        assertThat(of(source).deadLetterQueue()).isFalse();
    }

    @Test
    void fifoDuplicatesAreNoSends() {
        QueueKey queue = sluice.createQueue("events.fifo", FifoFixture.FIFO);
        NewMessage once = FifoFixture.grouped("once", "g", "d");
        sluice.send(queue, once);
        sluice.send(queue, once);

        assertThat(of(queue).sent()).isEqualTo(1);
        assertThat(of(queue).deduplicated()).isEqualTo(1);
    }

    @Test
    void aDeletedQueueHasNoCounts() {
        QueueKey queue = sluice.createQueue("gone");
        join(sluice.queues.deleteQueue(queue));

        assertThat(statistics.read()).noneMatch(counts -> counts.key().equals(queue));
    }
}
