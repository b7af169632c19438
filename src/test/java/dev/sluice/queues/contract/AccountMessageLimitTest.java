package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The count of messages an account's queues hold, which a tenant's maxMessages is checked against: kept exact through
 * every way a message comes and goes, and reserved atomically, so concurrent sends never store more than the limit.
 */
@QueuesContract
class AccountMessageLimitTest extends QueuesCase {

    AccountMessageLimitTest(Backend backend) {
        super(backend);
    }

    private long total(QueueKey... queues) {
        long total = 0;
        for (QueueKey queue : queues) {
            total += sluice.counts(queue).stream().mapToInt(Integer::intValue).sum();
        }
        return total;
    }

    @Test
    void thirtyConcurrentBatchesAgainstALimitOfTwentyStoreAtMostTwenty() throws Exception {
        Backends.assumeBuilt(backend, Backends.EXACT_MESSAGE_LIMIT);
        QueueKey a = sluice.createQueue("a");
        QueueKey b = sluice.createQueue("b");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> sends = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 30; i++) {
                QueueKey queue = i % 2 == 0 ? a : b;
                sends.add(pool.submit(() -> {
                    start.await();
                    try {
                        join(sluice.queues.sendBatch(queue, List.of(message("m")), 20));
                        return true;
                    } catch (QueueException | CompletionException refused) {
                        return false;
                    }
                }));
            }
            start.countDown();
            long accepted = 0;
            for (Future<Boolean> send : sends) {
                accepted += send.get() ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(20);
        }
        assertThat(total(a, b)).isEqualTo(20);
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(20);
    }

    @Test
    void aBatchThatDoesNotFitIsOverLimitAsAWholeAndRefusedEntriesGiveTheirPlaceBack() {
        QueueKey queue = sluice.createQueue("orders");
        join(sluice.queues.sendBatch(queue, List.of(message("1"), message("2"), message("")), 3));
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT)))
                .as("the empty body was refused and holds no place")
                .isEqualTo(2);

        assertThat(errorOf(() -> sluice.queues.sendBatch(queue, List.of(message("3"), message("4")), 3)))
                .isEqualTo(QueueError.OVER_LIMIT);
        assertThat(total(queue)).isEqualTo(2);
        join(sluice.queues.sendBatch(queue, List.of(message("3")), 3));
        assertThat(total(queue)).isEqualTo(3);
    }

    @Test
    void theCountFollowsEveryWayMessagesComeAndGo() {
        QueueKey dlq = sluice.createQueue("dlq");
        QueueKey queue = sluice.createQueue("orders", QueuesFixture.redrive(dlq, 1));
        QueueKey other = sluice.createQueue("other", Map.of("MessageRetentionPeriod", "60"));
        IntStream.range(0, 6).forEach(i -> sluice.send(queue, "m" + i));
        IntStream.range(0, 3).forEach(i -> sluice.send(other, "o" + i));
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(9);

        List<ReceivedMessage> received = sluice.receive(queue, 2, Duration.ZERO);
        join(sluice.queues.deleteMessage(queue, received.getFirst().receiptHandle()));
        sluice.receive(queue, 10, Duration.ofSeconds(30));
        sluice.clock.advance(Duration.ofSeconds(31));
        sluice.receive(queue, 10, Duration.ofSeconds(30)); // past maxReceiveCount: moved to the dead-letter queue
        assertThat(sluice.counts(dlq).stream().mapToInt(Integer::intValue).sum())
                .isPositive();
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(total(queue, dlq, other));

        sluice.clock.advance(Duration.ofSeconds(61)); // other's messages pass their retention period
        sluice.info(other);
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(total(queue, dlq, other));

        join(sluice.queues.purgeQueue(dlq));
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(total(queue, dlq, other));
        join(sluice.queues.deleteQueue(queue));
        assertThat(join(sluice.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(total(dlq, other));
        assertThat(join(sluice.queues.messageCount("999999999999"))).isZero();
    }

    @Test
    void aRestartCountsWhatTheStoreHolds() {
        QueueKey queue = sluice.createQueue("orders");
        IntStream.range(0, 4).forEach(i -> sluice.send(queue, "m" + i));

        QueuesFixture restarted = sluice.restart();

        assertThat(join(restarted.queues.messageCount(QueuesFixture.ACCOUNT))).isEqualTo(4);
        assertThat(errorOf(() -> restarted.queues.sendBatch(queue, List.of(message("5")), 4)))
                .isEqualTo(QueueError.OVER_LIMIT);
    }

    @Test
    void theQueueLimitIsCheckedWhereTheQueueIsAddedAndLetsAnExistingNameThrough() {
        for (int i = 0; i < 3; i++) {
            join(sluice.queues.createQueue(key("q" + i), Map.of(), Map.of(), 3));
        }
        assertThat(errorOf(() -> sluice.queues.createQueue(key("q3"), Map.of(), Map.of(), 3)))
                .isEqualTo(QueueError.OVER_LIMIT);
        join(sluice.queues.createQueue(key("q0"), Map.of(), Map.of(), 3));
    }
}
