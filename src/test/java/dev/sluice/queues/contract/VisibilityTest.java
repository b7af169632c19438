package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.VisibilityChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Visibility timeouts: receive hides a message, time or ChangeMessageVisibility shows it again. */
@QueuesContract
class VisibilityTest extends QueuesCase {
    private final QueueKey queue;

    VisibilityTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("orders");
    }

    @Test
    void messageReappearsAfterVisibilityTimeout() {
        String id = sluice.send(queue, "hello");

        ReceivedMessage first = sluice.receiveOne(queue);
        assertThat(first.messageId()).isEqualTo(id);
        assertThat(first.receiveCount()).isEqualTo(1);

        sluice.clock.advanceSeconds(29);
        assertThat(sluice.receive(queue, 10))
                .as("hidden for the queue's default 30 s")
                .isEmpty();

        sluice.clock.advanceSeconds(1);
        ReceivedMessage second = sluice.receiveOne(queue);
        assertThat(second.messageId()).isEqualTo(id);
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
        assertThat(second.firstReceiveTimestamp()).isEqualTo(first.firstReceiveTimestamp());
    }

    @Test
    void queueVisibilityTimeoutAttributeApplies() {
        QueueKey slow = sluice.createQueue("slow", Map.of("VisibilityTimeout", "120"));
        sluice.send(slow, "hello");
        sluice.receiveOne(slow);

        sluice.clock.advanceSeconds(119);
        assertThat(sluice.receive(slow, 1)).isEmpty();
        sluice.clock.advanceSeconds(1);
        assertThat(sluice.receive(slow, 1)).hasSize(1);
    }

    @Test
    void receiveOverrideOfVisibilityTimeout() {
        sluice.send(queue, "hello");

        sluice.receive(queue, 1, Duration.ofSeconds(5));

        sluice.clock.advanceSeconds(4);
        assertThat(sluice.receive(queue, 1)).isEmpty();
        sluice.clock.advanceSeconds(1);
        assertThat(sluice.receive(queue, 1, Duration.ofSeconds(300))).hasSize(1);
        sluice.clock.advanceSeconds(299);
        assertThat(sluice.receive(queue, 1)).isEmpty();
        sluice.clock.advanceSeconds(1);
        assertThat(sluice.receive(queue, 1)).hasSize(1);
    }

    @Test
    void receiveVisibilityTimeoutOutOfRangeIsRejected() {
        assertThat(errorOf(() -> sluice.queues.receive(
                        queue, new ReceiveOptions(1, Optional.of(Duration.ofSeconds(43_201)), Optional.empty()))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.receive(
                        queue, new ReceiveOptions(1, Optional.of(Duration.ofSeconds(-1)), Optional.empty()))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void changeVisibilityToZeroMakesVisibleAtOnce() {
        sluice.send(queue, "hello");
        ReceivedMessage received = sluice.receiveOne(queue);
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);

        join(sluice.queues.changeVisibility(queue, received.receiptHandle(), Duration.ZERO));

        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
        ReceivedMessage again = sluice.receiveOne(queue);
        assertThat(again.messageId()).isEqualTo(received.messageId());
        assertThat(again.receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibilityCountsFromTheTimeOfTheCall() {
        sluice.send(queue, "hello");
        ReceivedMessage received = sluice.receiveOne(queue);
        sluice.clock.advanceSeconds(20);

        join(sluice.queues.changeVisibility(queue, received.receiptHandle(), Duration.ofSeconds(60)));

        sluice.clock.advanceSeconds(59);
        assertThat(sluice.receive(queue, 1)).isEmpty();
        sluice.clock.advanceSeconds(1);
        assertThat(sluice.receive(queue, 1)).hasSize(1);
    }

    @Test
    void changeVisibilityIsNotRememberedForTheNextReceive() {
        sluice.send(queue, "hello");
        ReceivedMessage received = sluice.receiveOne(queue);
        join(sluice.queues.changeVisibility(queue, received.receiptHandle(), Duration.ofSeconds(600)));
        sluice.clock.advanceSeconds(600);

        sluice.receiveOne(queue);

        sluice.clock.advanceSeconds(30);
        assertThat(sluice.receive(queue, 1)).as("back to the queue's 30 s").hasSize(1);
    }

    @Test
    void changeVisibilityBeyondTwelveHoursFromReceiveIsRejected() {
        sluice.send(queue, "hello");
        String handle = sluice.receive(queue, 1, Duration.ofHours(2)).getFirst().receiptHandle();
        sluice.clock.advance(Duration.ofHours(1));

        assertThat(errorOf(() -> sluice.queues.changeVisibility(
                        queue, handle, Duration.ofHours(11).plusSeconds(1))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);

        join(sluice.queues.changeVisibility(queue, handle, Duration.ofHours(11)));
        sluice.clock.advance(Duration.ofHours(11).minusSeconds(1));
        assertThat(sluice.receive(queue, 1))
                .as("exactly 12 h after the receive is allowed")
                .isEmpty();
        sluice.clock.advanceSeconds(1);
        assertThat(sluice.receive(queue, 1)).hasSize(1);
    }

    @Test
    void changeVisibilityOutOfRangeIsRejected() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();

        assertThat(errorOf(() -> sluice.queues.changeVisibility(queue, handle, Duration.ofSeconds(43_201))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.changeVisibility(queue, handle, Duration.ofSeconds(-1))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void changeVisibilityWithExpiredHandleIsANoOp() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();
        sluice.clock.advanceSeconds(30);

        // Real SQS answers 200 and changes nothing (LocalStack PR #9632, recorded against AWS).
        join(sluice.queues.changeVisibility(queue, handle, Duration.ofSeconds(600)));
        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
    }

    @Test
    void changeVisibilityWithTheHandleOfAnEarlierReceiveAppliesWhileTheMessageIsInFlight() {
        sluice.send(queue, "hello");
        String first = sluice.receiveOne(queue).receiptHandle();
        sluice.clock.advanceSeconds(30);
        sluice.receiveOne(queue);

        // SQS: the older handle still moves the message's visibility (the reproduction on AWS).
        join(sluice.queues.changeVisibility(queue, first, Duration.ZERO));

        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
        assertThat(sluice.receiveOne(queue).receiveCount()).isEqualTo(3);
    }

    @Test
    void changeVisibilityOfDeletedMessageIsInvalidParameter() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();
        join(sluice.queues.deleteMessage(queue, handle));

        // SQS answers InvalidParameterValue "Message does not exist or is not available for visibility timeout change".
        assertThat(errorOf(() -> sluice.queues.changeVisibility(queue, handle, Duration.ofSeconds(10))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void changeVisibilityBatchReportsEachEntry() {
        sluice.send(queue, "one");
        sluice.send(queue, "two");
        List<ReceivedMessage> received = sluice.receive(queue, 2);

        List<Outcome<Void>> outcomes = join(sluice.queues.changeVisibilities(
                queue,
                List.of(
                        new VisibilityChange(received.get(0).receiptHandle(), Duration.ZERO),
                        new VisibilityChange("not-a-handle", Duration.ZERO),
                        new VisibilityChange(received.get(1).receiptHandle(), Duration.ofSeconds(43_201)))));

        assertThat(outcomes.get(0).succeeded()).isTrue();
        assertThat(outcomes.get(1).failure().error()).isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        assertThat(outcomes.get(2).failure().error()).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.counts(queue)).containsExactly(1, 1, 0);
    }

    @Test
    void receiveReturnsMessagesOldestFirst() {
        for (int i = 1; i <= 5; i++) {
            sluice.send(queue, "m" + i);
            sluice.clock.advance(Duration.ofMillis(1));
        }
        sluice.send(queue, "m6");
        sluice.send(queue, "m7");

        assertThat(sluice.receive(queue, 10))
                .extracting(received -> received.body())
                .containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
    }

    @Test
    void reappearingMessageKeepsItsPlaceBeforeNewerOnes() {
        sluice.send(queue, "old");
        sluice.receiveOne(queue);
        sluice.clock.advanceSeconds(1);
        sluice.send(queue, "new");
        sluice.clock.advanceSeconds(29);

        assertThat(sluice.receive(queue, 10))
                .extracting(received -> received.body())
                .containsExactly("old", "new");
    }

    @Test
    void visibilityTimeoutOfZeroDoesNotReturnSameMessageTwiceInOneReceive() {
        sluice.send(queue, "one");
        sluice.send(queue, "two");

        List<ReceivedMessage> received = sluice.receive(queue, 10, Duration.ZERO);

        assertThat(received).extracting(r -> r.body()).containsExactly("one", "two");
        assertThat(sluice.receive(queue, 10, Duration.ZERO))
                .as("visible again for the next receive")
                .extracting(ReceivedMessage::receiveCount)
                .containsExactly(2, 2);
    }

    @Test
    void receiveReturnsAtMostMaxNumberOfMessages() {
        for (int i = 0; i < 12; i++) {
            sluice.send(queue, "m" + i);
        }

        assertThat(sluice.receive(queue, 10)).hasSize(10);
        assertThat(sluice.receive(queue, 10)).hasSize(2);
        assertThat(sluice.receive(queue, 10)).isEmpty();
    }
}
