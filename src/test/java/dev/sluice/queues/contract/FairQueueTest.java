package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.FifoFixture.bodies;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fair queues: a standard queue whose messages carry a MessageGroupId (the tenant). AWS describes a tenant as noisy
 * when it holds a disproportionate share of the in-flight messages, and then serves the other tenants first (SQS
 * developer guide, "Fair queues"). The rule Sluice implements ({@code Queue.isNoisy}):
 *
 * <ul>
 *   <li>a group is noisy while the queue has at least 30 messages in flight and the group holds more than 10% of
 *       them (a group at exactly 10% is not);
 *   <li>a receive hands out the messages of the other groups, and messages without a group, first, oldest first,
 *       looking at most 1,000 ready messages ahead; it fills up with the noisy groups' oldest messages;
 *   <li>noise ends as soon as the in-flight counts drop below the rule (AWS also counts recent processing time and
 *       a 5-minute quiet period; Sluice does not).
 * </ul>
 *
 * Unlike FIFO, a group is never blocked: a standard queue hands out several messages of one group at once.
 */
@QueuesContract
class FairQueueTest extends QueuesCase {
    private static final Duration HOUR = Duration.ofHours(1);

    private final QueueKey queue;

    FairQueueTest(Backend backend) {
        super(backend);
        Backends.assumeBuilt(backend, Backends.FAIR_QUEUES);
        this.queue = sluice.createQueue("tenants");
    }

    private void send(String group, String body) {
        sluice.send(queue, grouped(body, group, null));
    }

    private void sendMany(String group, int count) {
        for (int i = 0; i < count; i++) {
            send(group, group + "-" + i);
        }
    }

    /** Receives {@code count} messages with a long visibility timeout, so they stay in flight. */
    private List<ReceivedMessage> holdInFlight(int count) {
        List<ReceivedMessage> held = new java.util.ArrayList<>();
        while (held.size() < count) {
            List<ReceivedMessage> received = sluice.receive(queue, Math.min(10, count - held.size()), HOUR);
            assertThat(received).isNotEmpty();
            held.addAll(received);
        }
        return held;
    }

    @Test
    void quietGroupSentLaterIsReceivedBeforeTheNoisyGroupsBacklog() {
        sendMany("noisy", 40);
        holdInFlight(30);
        send("quiet", "quiet-0");

        assertThat(bodies(sluice.receive(queue, 1, HOUR))).containsExactly("quiet-0");
        assertThat(bodies(sluice.receive(queue, 1, HOUR)))
                .as("then the noisy group's oldest")
                .containsExactly("noisy-30");
    }

    @Test
    void receiveFillsUpWithTheNoisyGroupsMessagesAfterTheOthers() {
        sendMany("noisy", 40);
        holdInFlight(30);
        send("quiet", "quiet-0");
        sluice.send(queue, QueuesFixture.message("no group"));
        send("quiet", "quiet-1");

        assertThat(bodies(sluice.receive(queue, 5, HOUR)))
                .containsExactly("quiet-0", "no group", "quiet-1", "noisy-30", "noisy-31");
    }

    @Test
    void withoutNoiseTheOldestMessageComesFirst() {
        sendMany("busy", 40);
        holdInFlight(29);
        send("quiet", "quiet-0");

        assertThat(bodies(sluice.receive(queue, 1, HOUR)))
                .as("29 in flight: below the 30 the rule needs")
                .containsExactly("busy-29");
    }

    @Test
    void groupHoldingExactlyTenPercentIsNotNoisy() {
        // 30 in flight, 3 of each of 10 groups: every group holds exactly 10%.
        for (int round = 0; round < 4; round++) {
            for (int group = 0; group < 10; group++) {
                send("g" + group, "g" + group + "-" + round);
            }
        }
        holdInFlight(30);
        send("quiet", "quiet-0");

        assertThat(bodies(sluice.receive(queue, 1, HOUR))).containsExactly("g0-3");
    }

    @Test
    void groupHoldingMoreThanTenPercentIsNoisy() {
        // 31 in flight, 4 of them group g0: 4/31 is just over 10%.
        for (int round = 0; round < 3; round++) {
            for (int group = 0; group < 9; group++) {
                send("g" + group, "g" + group + "-" + round);
            }
        }
        sendMany("g9", 5);
        holdInFlight(27);
        assertThat(bodies(sluice.receive(queue, 4, HOUR))).containsExactly("g9-0", "g9-1", "g9-2", "g9-3");
        send("quiet", "quiet-0");

        assertThat(bodies(sluice.receive(queue, 1, HOUR))).containsExactly("quiet-0");
    }

    @Test
    void messagesWithoutAGroupAreNeverNoisy() {
        for (int i = 0; i < 40; i++) {
            sluice.send(queue, QueuesFixture.message("plain-" + i));
        }
        holdInFlight(30);
        send("late", "late-0");

        assertThat(bodies(sluice.receive(queue, 1, HOUR))).containsExactly("plain-30");
    }

    @Test
    void noiseEndsWhenTheGroupsInFlightMessagesAreDeleted() {
        sendMany("noisy", 40);
        List<ReceivedMessage> held = holdInFlight(30);
        send("quiet", "quiet-0");
        join(sluice.queues.deleteMessages(
                queue,
                held.subList(0, 10).stream().map(ReceivedMessage::receiptHandle).toList()));

        assertThat(bodies(sluice.receive(queue, 1, HOUR)))
                .as("20 in flight: nobody is noisy, the oldest comes first")
                .containsExactly("noisy-30");
    }

    @Test
    void noiseEndsWhenTheVisibilityTimeoutRunsOut() {
        sendMany("noisy", 40);
        for (int i = 0; i < 3; i++) {
            sluice.receive(queue, 10, Duration.ofSeconds(30));
        }
        send("quiet", "quiet-0");
        sluice.clock.advanceSeconds(30);

        assertThat(bodies(sluice.receive(queue, 1, HOUR))).containsExactly("noisy-0");
    }

    @Test
    void fairnessLooksAtMost1000ReadyMessagesAhead() {
        sendMany("noisy", 1030);
        holdInFlight(30);
        send("quiet", "quiet-0");

        assertThat(bodies(sluice.receive(queue, 1, HOUR)))
                .as("the quiet message is the 1,001st ready one: out of sight")
                .containsExactly("noisy-30");
    }

    @Test
    void standardQueueHandsOutSeveralMessagesOfOneGroupAtOnce() {
        send("g", "g-0");
        send("g", "g-1");
        assertThat(bodies(sluice.receive(queue, 1, HOUR))).containsExactly("g-0");

        assertThat(bodies(sluice.receive(queue, 10, HOUR)))
                .as("no FIFO blocking")
                .containsExactly("g-1");
    }

    @Test
    void messageGroupIdIsKeptAndNoSequenceNumberIsGiven() {
        SentMessage sent = sluice.send(queue, grouped("hello", "tenant-1", null));

        assertThat(sent.sequenceNumber()).isNull();
        ReceivedMessage received = sluice.receiveOne(queue);
        assertThat(received.messageGroupId()).isEqualTo("tenant-1");
        assertThat(received.messageDeduplicationId()).isNull();
    }

    @Test
    void messageGroupIdMustBe1To128PrintableAsciiCharacters() {
        sluice.send(queue, grouped("max", "g".repeat(128), null));

        for (String bad : List.of("", "g".repeat(129), "with space", "ü")) {
            assertThat(QueuesFixture.errorOf(() -> sluice.queues.send(queue, grouped("x", bad, null))))
                    .as("MessageGroupId \"%s\"", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }
    }
}
