package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Long polls park on the queue; a send, a due message or the end of the wait completes them. */
@QueuesContract
class LongPollTest extends QueuesCase {
    private static final Duration TWENTY_SECONDS = Duration.ofSeconds(20);

    private final QueueKey queue;

    LongPollTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("orders");
    }

    @Test
    void longPollReturnsAtOnceWhenMessagesAreWaiting() {
        sluice.send(queue, "hello");

        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        assertThat(join(poll)).extracting(r -> r.body()).containsExactly("hello");
    }

    @Test
    void longPollIsWokenBySend() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        assertThat(poll).isNotDone();

        sluice.send(queue, "hello");

        assertThat(join(poll)).extracting(r -> r.body()).containsExactly("hello");
        assertThat(join(poll).getFirst().receiveCount()).isEqualTo(1);
        assertThat(sluice.counts(queue)).as("the woken receive holds it").containsExactly(0, 1, 0);
    }

    @Test
    void longPollIsWokenByBatchSendAndTakesUpToItsMax() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 2, TWENTY_SECONDS);

        join(sluice.queues.sendBatch(queue, List.of(message("a"), message("b"), message("c"))));

        assertThat(join(poll)).extracting(r -> r.body()).containsExactly("a", "b");
        assertThat(sluice.counts(queue)).containsExactly(1, 2, 0);
    }

    @Test
    void oneSendWakesOnlyOneOfTwoParkedPolls() {
        CompletableFuture<List<ReceivedMessage>> first = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        CompletableFuture<List<ReceivedMessage>> second = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        sluice.send(queue, "hello");

        // SQS does not say which of two waiting receives gets a message; exactly one does.
        join(CompletableFuture.anyOf(first, second));
        CompletableFuture<List<ReceivedMessage>> woken = first.isDone() ? first : second;
        CompletableFuture<List<ReceivedMessage>> waiting = woken == first ? second : first;
        assertThat(join(woken)).extracting(r -> r.body()).containsExactly("hello");
        assertThat(waiting).isNotDone();
        sluice.send(queue, "again");
        assertThat(join(waiting)).extracting(r -> r.body()).containsExactly("again");
    }

    @Test
    void endingLongPollsAnswersParkedPollsEmptyAndParksNoMore() {
        QueueKey other = sluice.createQueue("invoices");
        CompletableFuture<List<ReceivedMessage>> first = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        CompletableFuture<List<ReceivedMessage>> second = sluice.longPoll(other, 1, TWENTY_SECONDS);

        assertThat(sluice.queues.endLongPolls()).isEqualTo(2);

        assertThat(join(first)).isEmpty();
        assertThat(join(second)).isEmpty();
        CompletableFuture<List<ReceivedMessage>> late = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        assertThat(join(late)).as("a poll after the end answers at once").isEmpty();
        sluice.send(queue, "still accepted");
        assertThat(join(sluice.longPoll(queue, 10, TWENTY_SECONDS)))
                .extracting(r -> r.body())
                .containsExactly("still accepted");
    }

    @Test
    void longPollReturnsEmptyAfterWaitTime() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        sluice.clock.advance(TWENTY_SECONDS.minusMillis(1));
        assertThat(poll).isNotDone();
        sluice.clock.advance(Duration.ofMillis(1));

        assertThat(join(poll)).isEmpty();
        sluice.send(queue, "after the poll ended");
        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
    }

    @Test
    void longPollWokenWhenDelayedMessageBecomesVisible() {
        sluice.send(queue, message("later", Duration.ofSeconds(5)));
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        sluice.clock.advance(Duration.ofSeconds(5).minusMillis(1));
        assertThat(poll).isNotDone();
        sluice.clock.advance(Duration.ofMillis(1));

        assertThat(join(poll)).extracting(r -> r.body()).containsExactly("later");
    }

    @Test
    void longPollWokenWhenDelayedMessageSentWhileParkedBecomesVisible() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        sluice.send(queue, message("later", Duration.ofSeconds(3)));
        assertThat(poll).isNotDone();

        sluice.clock.advanceSeconds(3);

        assertThat(join(poll)).extracting(r -> r.body()).containsExactly("later");
    }

    @Test
    void longPollWokenWhenInFlightMessageTimesOut() {
        sluice.send(queue, "hello");
        sluice.receive(queue, 1, Duration.ofSeconds(10));
        sluice.clock.advanceSeconds(5);
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        sluice.clock.advanceSeconds(4);
        assertThat(poll).isNotDone();
        sluice.clock.advanceSeconds(1);

        assertThat(join(poll)).singleElement().satisfies(received -> {
            assertThat(received.body()).isEqualTo("hello");
            assertThat(received.receiveCount()).isEqualTo(2);
        });
    }

    @Test
    void longPollWokenByChangeVisibilityToZero() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        join(sluice.queues.changeVisibility(queue, handle, Duration.ZERO));

        assertThat(join(poll))
                .singleElement()
                .satisfies(received -> assertThat(received.receiveCount()).isEqualTo(2));
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void longPollUsesItsOwnVisibilityTimeoutForWhatItReceives() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.queues
                .receive(queue, new ReceiveOptions(1, Optional.of(Duration.ofSeconds(5)), Optional.of(TWENTY_SECONDS)))
                .toCompletableFuture();
        sluice.clock.advanceSeconds(2);
        sluice.send(queue, "hello");

        sluice.clock.advance(Duration.ofSeconds(5).minusMillis(1));
        assertThat(sluice.receive(queue, 1)).isEmpty();
        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(sluice.receive(queue, 1)).hasSize(1);
    }

    @Test
    void queueDefaultReceiveWaitTimeApplies() {
        QueueKey waiting = sluice.createQueue("waiting", Map.of("ReceiveMessageWaitTimeSeconds", "5"));
        CompletableFuture<List<ReceivedMessage>> poll = sluice.queues
                .receive(waiting, new ReceiveOptions(1, Optional.empty(), Optional.empty()))
                .toCompletableFuture();

        sluice.clock.advance(Duration.ofSeconds(5).minusMillis(1));
        assertThat(poll).as("parked for the queue's 5 s").isNotDone();
        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(join(poll)).isEmpty();
    }

    @Test
    void explicitWaitTimeOfZeroOverridesQueueDefault() {
        QueueKey waiting = sluice.createQueue("waiting", Map.of("ReceiveMessageWaitTimeSeconds", "20"));

        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(waiting, 1, Duration.ZERO);

        assertThat(join(poll)).isEmpty();
    }

    @Test
    void deleteQueueEndsParkedLongPolls() {
        CompletableFuture<List<ReceivedMessage>> first = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        CompletableFuture<List<ReceivedMessage>> second = sluice.longPoll(queue, 1, Duration.ofSeconds(3));

        join(sluice.queues.deleteQueue(queue));

        assertThat(join(first)).isEmpty();
        assertThat(join(second)).isEmpty();
        assertThat(sluice.clock.pendingTasks()).as("its wake-up was cancelled").isZero();
    }

    @Test
    void longPollDoesNotHandOutMessagesPastRetention() {
        QueueKey shortLived = sluice.createQueue("short-lived", Map.of("MessageRetentionPeriod", "60"));
        sluice.send(shortLived, "old");
        sluice.receive(shortLived, 1, Duration.ofSeconds(65));
        sluice.clock.advanceSeconds(50);
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(shortLived, 10, TWENTY_SECONDS);

        sluice.clock.advanceSeconds(15);

        assertThat(poll)
                .as("the message expired at 60 s, before it became visible at 65 s")
                .isNotDone();
        assertThat(sluice.counts(shortLived)).containsExactly(0, 0, 0);
        sluice.clock.advanceSeconds(5);
        assertThat(join(poll)).isEmpty();
    }

    @Test
    void maxNumberOfMessagesOutsideOneToTenIsRejected() {
        for (int max : new int[] {0, 11, -1}) {
            assertThat(errorOf(() ->
                            sluice.queues.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.empty()))))
                    .as("MaxNumberOfMessages %d", max)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }
        assertThat(sluice.receive(queue, 1)).isEmpty();
        assertThat(sluice.receive(queue, 10)).isEmpty();
    }

    @Test
    void waitTimeAboveTwentySecondsIsRejected() {
        assertThat(errorOf(() -> sluice.longPoll(queue, 1, Duration.ofSeconds(21))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.longPoll(queue, 1, Duration.ofSeconds(-1))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.clock.pendingTasks()).as("nothing parked").isZero();
    }

    @Test
    void receiveOnMissingQueueIsQueueNotFound() {
        assertThat(errorOf(() -> sluice.longPoll(QueuesFixture.key("missing"), 1, TWENTY_SECONDS)))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }
}
