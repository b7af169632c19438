package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.FifoFixture.CONTENT_BASED;
import static dev.sluice.queues.contract.FifoFixture.FIFO;
import static dev.sluice.queues.contract.FifoFixture.bodies;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * FIFO queues (SQS developer guide, FIFO queue delivery logic): names end in .fifo, FifoQueue is fixed at creation,
 * every message has a MessageGroupId, and a group is handed out strictly in order, one receive's worth at a time: while
 * any of its messages is in flight, the rest of the group waits.
 */
@QueuesContract
class FifoTest extends QueuesCase {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final QueueKey queue;

    FifoTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("orders.fifo", CONTENT_BASED);
    }

    // ---- the queue

    @Test
    void fifoQueueNameMustEndInDotFifo() {
        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), FIFO, Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.createQueue(key(".fifo"), FIFO, Map.of())))
                .as("the part before .fifo must not be empty")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.createQueue(key("a".repeat(76) + ".fifo"), FIFO, Map.of())))
                .as(".fifo counts toward the 80 characters")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);

        QueueKey longest = sluice.createQueue("a".repeat(75) + ".fifo", FIFO);
        assertThat(sluice.info(longest).settings().fifo()).isTrue();
    }

    @Test
    void standardQueueNameCannotEndInDotFifo() {
        assertThat(errorOf(() -> sluice.queues.createQueue(key("jobs.fifo"), Map.of(), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.createQueue(key("jobs.fifo"), Map.of("FifoQueue", "false"), Map.of())))
                .as("SQS knows FifoQueue only as true")
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        assertThat(join(sluice.queues.queueNames("us-east-1", QueuesFixture.ACCOUNT, "jobs")))
                .isEmpty();
    }

    @Test
    void fifoQueueCanOnlyBeChosenAtCreation() {
        QueueKey standard = sluice.createQueue("jobs");

        assertThat(errorOf(() -> sluice.queues.setAttributes(standard, Map.of("FifoQueue", "true"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        assertThat(errorOf(() -> sluice.queues.setAttributes(standard, Map.of("FifoQueue", "false"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        // SQS: on a FIFO queue FifoQueue=true is a no-op and false is "Modifying queue type is not supported."
        assertThatThrownBy(() -> sluice.queues.setAttributes(queue, Map.of("FifoQueue", "false")))
                .isInstanceOf(QueueException.class)
                .hasMessage("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
                .extracting(e -> ((QueueException) e).error())
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        join(sluice.queues.setAttributes(queue, Map.of("FifoQueue", "true")));
        assertThat(sluice.info(standard).settings().fifo()).isFalse();
        assertThat(sluice.info(queue).settings().fifo()).isTrue();
    }

    @Test
    void newFifoQueueHasTheFifoDefaults() {
        assertThat(sluice.info(sluice.createQueue("plain.fifo", FIFO))
                        .settings()
                        .values())
                .containsEntry("FifoQueue", "true")
                .containsEntry("ContentBasedDeduplication", "false")
                .containsEntry("DeduplicationScope", "queue")
                .containsEntry("FifoThroughputLimit", "perQueue");
    }

    // ---- sending

    @Test
    void sendWithoutMessageGroupIdIsMissingParameter() {
        assertThat(errorOf(() -> sluice.queues.send(queue, QueuesFixture.message("no group"))))
                .isEqualTo(QueueError.MISSING_PARAMETER);
        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void perMessageDelayIsRejectedButZeroIsAccepted() {
        NewMessage delayed =
                new NewMessage("delayed", Map.of(), Map.of(), Optional.of(Duration.ofSeconds(5)), "sender", "g", null);
        NewMessage zero = new NewMessage("zero", Map.of(), Map.of(), Optional.of(Duration.ZERO), "sender", "g", null);

        assertThat(errorOf(() -> sluice.queues.send(queue, delayed))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        sluice.send(queue, zero);

        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("zero");
    }

    @Test
    void queueDelayAppliesToFifoMessages() {
        QueueKey delayedQueue = sluice.createQueue(
                "delayed.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true", "DelaySeconds", "10"));
        sluice.send(delayedQueue, grouped("late", "g"));

        assertThat(sluice.counts(delayedQueue)).containsExactly(0, 0, 1);
        sluice.clock.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(sluice.receive(delayedQueue, 10)).isEmpty();
        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(bodies(sluice.receive(delayedQueue, 10))).containsExactly("late");
    }

    @Test
    void delaySecondsZeroStillGetsTheQueueDelay() {
        QueueKey delayedQueue = sluice.createQueue(
                "zero.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true", "DelaySeconds", "10"));
        NewMessage zero = new NewMessage("zero", Map.of(), Map.of(), Optional.of(Duration.ZERO), "sender", "g", null);

        sluice.send(delayedQueue, zero);

        // SQS: FIFO queues take no per-message delay, so DelaySeconds=0 is not an override (recorded against AWS in
        // LocalStack's test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay).
        assertThat(sluice.counts(delayedQueue)).containsExactly(0, 0, 1);
        sluice.clock.advanceSeconds(10);
        assertThat(bodies(sluice.receive(delayedQueue, 10))).containsExactly("zero");
    }

    @Test
    void sendReturnsStrictlyIncreasingSequenceNumbers() {
        Backends.assumeMoreThanAWindowAtOnce(backend);
        List<BigInteger> sequences = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SentMessage sent = sluice.send(queue, grouped("m" + i, i % 2 == 0 ? "a" : "b"));
            assertThat(sent.sequenceNumber())
                    .as("a decimal number, as AWS sends it")
                    .matches("[0-9]+");
            sequences.add(new BigInteger(sent.sequenceNumber()));
            if (i == 2) {
                sluice.clock.advanceSeconds(1);
            }
        }

        assertThat(sequences).isSorted().doesNotHaveDuplicates();
        assertThat(sluice.receive(queue, 10))
                .extracting(r -> new BigInteger(r.sequenceNumber()))
                .containsExactlyInAnyOrderElementsOf(sequences);
        assertThat(sequences)
                .as("20 digits, beyond a long, as AWS writes them")
                .allMatch(sequence -> sequence.toString().length() == 20)
                .allMatch(sequence -> sequence.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0);
    }

    @Test
    void standardQueueSendHasNoSequenceNumber() {
        QueueKey standard = sluice.createQueue("jobs");

        assertThat(sluice.send(standard, QueuesFixture.message("x")).sequenceNumber())
                .isNull();
    }

    @Test
    void sequenceNumbersKeepIncreasingAfterRestartAtTheSameInstant() {
        BigInteger first =
                new BigInteger(sluice.send(queue, grouped("first", "g")).sequenceNumber());
        BigInteger second =
                new BigInteger(sluice.send(queue, grouped("second", "g")).sequenceNumber());
        // Both gone from the queue: only the deduplication records still remember their sequence numbers.
        for (ReceivedMessage received : sluice.receive(queue, 10)) {
            join(sluice.queues.deleteMessage(queue, received.receiptHandle()));
        }

        QueuesFixture after = sluice.restart();
        BigInteger third =
                new BigInteger(after.send(queue, grouped("third", "g")).sequenceNumber());

        assertThat(List.of(first, second, third)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void sequenceNumbersKeepIncreasingAfterRestartWithMessagesStored() {
        BigInteger first =
                new BigInteger(sluice.send(queue, grouped("first", "g")).sequenceNumber());

        QueuesFixture after = sluice.restart();
        BigInteger second =
                new BigInteger(after.send(queue, grouped("second", "g")).sequenceNumber());

        assertThat(second).isGreaterThan(first);
        assertThat(bodies(after.receive(queue, 10))).containsExactly("first", "second");
    }

    @Test
    void batchSendKeepsTheEntriesOrderWithinEachGroup() {
        List<Outcome<SentMessage>> outcomes = join(sluice.queues.sendBatch(
                queue,
                List.of(
                        grouped("a1", "a"),
                        grouped("b1", "b"),
                        grouped("a2", "a"),
                        grouped("a3", "a"),
                        grouped("b2", "b"))));

        assertThat(outcomes).allMatch(Outcome::succeeded);
        assertThat(outcomes)
                .extracting(o -> new BigInteger(o.value().sequenceNumber()))
                .isSorted()
                .doesNotHaveDuplicates();
        List<String> received = bodies(sluice.receive(queue, 10));
        assertThat(received.stream().filter(b -> b.startsWith("a"))).containsExactly("a1", "a2", "a3");
        assertThat(received.stream().filter(b -> b.startsWith("b"))).containsExactly("b1", "b2");
    }

    @Test
    void failedBatchEntryDoesNotStopTheOthers() {
        List<Outcome<SentMessage>> outcomes =
                join(sluice.queues.sendBatch(queue, List.of(grouped("a1", "a"), grouped("", "a"), grouped("a2", "a"))));

        assertThat(outcomes).extracting(Outcome::succeeded).containsExactly(true, false, true);
        assertThat(outcomes.get(1).failure().error()).isEqualTo(QueueError.MISSING_PARAMETER);
        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a1", "a2");
    }

    @Test
    void batchEntryWithoutGroupFailsTheWholeBatch() {
        assertThat(errorOf(() ->
                        sluice.queues.sendBatch(queue, List.of(grouped("a1", "a"), QueuesFixture.message("no group")))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.send(queue, QueuesFixture.message("no group"))))
                .as("a single send is no batch")
                .isEqualTo(QueueError.MISSING_PARAMETER);
        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    // ---- receiving

    @Test
    void groupIsReceivedInSendOrder() {
        for (int i = 1; i <= 5; i++) {
            sluice.send(queue, grouped("m" + i, "g"));
        }

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ReceivedMessage received = sluice.receiveOne(queue);
            seen.add(received.body());
            join(sluice.queues.deleteMessage(queue, received.receiptHandle()));
        }

        assertThat(seen).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void groupWithAMessageInFlightHandsOutNothingElse() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        assertThat(bodies(sluice.receive(queue, 1))).containsExactly("a1");

        assertThat(sluice.receive(queue, 10)).as("a2 waits behind a1").isEmpty();
        sluice.send(queue, grouped("a3", "a"));
        assertThat(sluice.receive(queue, 10))
                .as("and so does a message sent later")
                .isEmpty();
        assertThat(sluice.counts(queue)).as("visible, in flight, delayed").containsExactly(2, 1, 0);
    }

    @Test
    void otherGroupsAreServedWhileOneIsInFlight() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        sluice.send(queue, grouped("b1", "b"));
        sluice.send(queue, grouped("b2", "b"));

        assertThat(bodies(sluice.receive(queue, 1))).containsExactly("a1");
        assertThat(bodies(sluice.receive(queue, 1))).containsExactly("b1");
        assertThat(sluice.receive(queue, 10)).isEmpty();

        sluice.send(queue, grouped("c1", "c"));
        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("c1");
    }

    @Test
    void oneReceiveReturnsAGroupsMessagesInOrder() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("b1", "b"));
        sluice.send(queue, grouped("a2", "a"));
        sluice.send(queue, grouped("b2", "b"));
        sluice.send(queue, grouped("a3", "a"));

        List<String> received = bodies(sluice.receive(queue, 10));

        // Sluice hands out whole groups, oldest group first; SQS only promises the order within a group.
        assertThat(received).containsExactly("a1", "a2", "a3", "b1", "b2");
    }

    @Test
    void receiveStopsAtMaxNumberOfMessagesWithinAGroup() {
        for (int i = 1; i <= 4; i++) {
            sluice.send(queue, grouped("a" + i, "a"));
        }

        assertThat(bodies(sluice.receive(queue, 2))).containsExactly("a1", "a2");
        assertThat(sluice.receive(queue, 10)).as("the group is in flight").isEmpty();
    }

    @Test
    void expiredVisibilityTimeoutReturnsTheHeadSoTheGroupContinuesInOrder() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        assertThat(bodies(sluice.receive(queue, 1, Duration.ofSeconds(30)))).containsExactly("a1");

        sluice.clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(sluice.receive(queue, 10)).isEmpty();
        sluice.clock.advance(Duration.ofMillis(1));

        List<ReceivedMessage> again = sluice.receive(queue, 10);
        assertThat(bodies(again)).containsExactly("a1", "a2");
        assertThat(again).extracting(ReceivedMessage::receiveCount).containsExactly(2, 1);
    }

    @Test
    void deletingTheInFlightHeadUnblocksTheGroup() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        ReceivedMessage head = sluice.receiveOne(queue);

        join(sluice.queues.deleteMessage(queue, head.receiptHandle()));

        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a2");
    }

    @Test
    void groupStaysBlockedUntilEveryMessageOfTheReceiveIsDone() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        sluice.send(queue, grouped("a3", "a"));
        List<ReceivedMessage> both = sluice.receive(queue, 2);

        join(sluice.queues.deleteMessage(queue, both.get(0).receiptHandle()));
        assertThat(sluice.receive(queue, 10)).as("a2 is still in flight").isEmpty();
        join(sluice.queues.deleteMessage(queue, both.get(1).receiptHandle()));

        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a3");
    }

    @Test
    void groupIsReleasedAsSoonAsItsHeadIsVisibleAgainWhileLaterMessagesAreInFlight() {
        sluice.send(queue, grouped("g1-m1", "g1"));
        sluice.send(queue, grouped("g1-m2", "g1"));
        sluice.send(queue, grouped("g2-m1", "g2"));
        List<ReceivedMessage> both = sluice.receive(queue, 2, MINUTE);
        assertThat(bodies(both)).containsExactly("g1-m1", "g1-m2");

        join(sluice.queues.changeVisibility(queue, both.getFirst().receiptHandle(), Duration.ZERO));

        // SQS: the group is released once its first message is receivable again, though g1-m2 is still in flight.
        assertThat(bodies(sluice.receive(queue, 10, MINUTE))).containsExactlyInAnyOrder("g1-m1", "g2-m1");
        assertThat(sluice.counts(queue)).as("visible, in flight, delayed").containsExactly(0, 3, 0);
    }

    @Test
    void headComesBackWhenItTimesOutThoughALaterMessageWasExtended() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        List<ReceivedMessage> both = sluice.receive(queue, 10, Duration.ofSeconds(30));
        join(sluice.queues.changeVisibility(queue, both.get(1).receiptHandle(), Duration.ofMinutes(10)));

        sluice.clock.advanceSeconds(30);

        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a1");
    }

    @Test
    void groupIsHandedOutUpToItsFirstMessageStillInFlight() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        sluice.send(queue, grouped("a3", "a"));
        List<ReceivedMessage> all = sluice.receive(queue, 10, Duration.ofSeconds(1));
        join(sluice.queues.changeVisibility(queue, all.get(2).receiptHandle(), Duration.ofSeconds(4)));

        sluice.clock.advanceSeconds(2);

        // Recorded against AWS in LocalStack's test_fifo_group_visibility_extends_with_change_message_visibility.
        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a1", "a2");
    }

    @Test
    void deleteWithAnExpiredReceiptHandleFailsAndKeepsTheMessage() {
        sluice.send(queue, grouped("a1", "a"));
        String handle =
                sluice.receive(queue, 1, Duration.ofSeconds(30)).getFirst().receiptHandle();
        sluice.clock.advanceSeconds(30);

        // SQS FIFO: InvalidParameterValue "... Reason: The receipt handle has expired." (a standard queue deletes).
        assertThatThrownBy(() -> join(sluice.queues.deleteMessage(queue, handle)))
                .hasRootCauseInstanceOf(QueueException.class)
                .rootCause()
                .hasMessage("Value " + handle + " for parameter ReceiptHandle is invalid. Reason: The receipt handle"
                        + " has expired.");
        assertThat(sluice.counts(queue)).containsExactly(1, 0, 0);
        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a1");
    }

    @Test
    void deleteWorksWithinAnExtendedVisibilityTimeout() {
        sluice.send(queue, grouped("a1", "a"));
        String handle =
                sluice.receive(queue, 1, Duration.ofSeconds(1)).getFirst().receiptHandle();
        join(sluice.queues.changeVisibility(queue, handle, Duration.ofSeconds(5)));
        sluice.clock.advanceSeconds(2);

        join(sluice.queues.deleteMessage(queue, handle));

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void deleteWithTheHandleOfAnEarlierReceiveFailsOnceTheMessageWasReceivedAgain() {
        sluice.send(queue, grouped("a1", "a"));
        String first =
                sluice.receive(queue, 1, Duration.ofSeconds(30)).getFirst().receiptHandle();
        sluice.clock.advanceSeconds(30);
        sluice.receive(queue, 1, Duration.ofSeconds(30));

        assertThat(errorOf(() -> sluice.queues.deleteMessage(queue, first)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(join(sluice.queues.deleteMessages(queue, List.of(first)))
                        .getFirst()
                        .failure()
                        .error())
                .as("the batch reports it for the entry")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void makingTheHeadVisibleAgainUnblocksTheGroupWithTheHeadFirst() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        ReceivedMessage head = sluice.receiveOne(queue);

        join(sluice.queues.changeVisibility(queue, head.receiptHandle(), Duration.ZERO));

        assertThat(bodies(sluice.receive(queue, 10))).containsExactly("a1", "a2");
    }

    @Test
    void longPollGetsTheNextMessageOfAGroupWhenTheHeadExpires() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        sluice.receive(queue, 1, Duration.ofSeconds(5));

        var poll = sluice.longPoll(queue, 10, Duration.ofSeconds(20));
        assertThat(poll).isNotDone();
        sluice.clock.advanceSeconds(5);

        assertThat(bodies(join(poll))).containsExactly("a1", "a2");
    }

    @Test
    void longPollGetsTheNextMessageOfAGroupAsSoonAsTheHeadIsDeleted() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        ReceivedMessage head = sluice.receive(queue, 1, MINUTE).getFirst();
        var poll = sluice.longPoll(queue, 10, Duration.ofSeconds(20));
        assertThat(poll).isNotDone();

        join(sluice.queues.deleteMessage(queue, head.receiptHandle()));

        assertThat(bodies(join(poll)))
                .as("SQS answers a long poll as soon as a message is receivable")
                .containsExactly("a2");
    }

    @Test
    void longPollGetsTheNextMessageOfAGroupAsSoonAsTheHeadIsDeletedInABatch() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        ReceivedMessage head = sluice.receive(queue, 1, MINUTE).getFirst();
        var poll = sluice.longPoll(queue, 10, Duration.ofSeconds(20));

        join(sluice.queues.deleteMessages(queue, List.of(head.receiptHandle())));

        assertThat(bodies(join(poll))).containsExactly("a2");
    }

    @Test
    void groupIdIsKeptOnTheReceivedMessage() {
        sluice.send(queue, grouped("x", "group-1", "dedup-1"));

        ReceivedMessage received = sluice.receiveOne(queue);

        assertThat(received.messageGroupId()).isEqualTo("group-1");
        assertThat(received.messageDeduplicationId()).isEqualTo("dedup-1");
    }

    @Test
    void groupStateSurvivesRestart() {
        sluice.send(queue, grouped("a1", "a"));
        sluice.send(queue, grouped("a2", "a"));
        sluice.send(queue, grouped("b1", "b"));
        String head = sluice.receive(queue, 1, MINUTE).getFirst().receiptHandle();

        QueuesFixture after = sluice.restart();

        assertThat(bodies(after.receive(queue, 10, MINUTE)))
                .as("group a is still in flight")
                .containsExactly("b1");
        join(after.queues.deleteMessage(queue, head));
        assertThat(bodies(after.receive(queue, 10, MINUTE))).containsExactly("a2");
    }
}
