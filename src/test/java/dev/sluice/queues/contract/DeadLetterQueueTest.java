package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.FifoFixture.CONTENT_BASED;
import static dev.sluice.queues.contract.FifoFixture.bodies;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static dev.sluice.queues.contract.QueuesFixture.arn;
import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static dev.sluice.queues.contract.QueuesFixture.redrive;
import static dev.sluice.queues.contract.QueuesFixture.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.QueueArn;
import dev.sluice.queues.rules.RedriveAllowPolicy;
import dev.sluice.queues.rules.RedrivePolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dead-letter queues (SQS developer guide, "Using dead-letter queues"): a RedrivePolicy names a queue of the same
 * type and account, which its RedriveAllowPolicy must allow; a message received maxReceiveCount times moves there on
 * the next receive that would hand it out, exactly once, as the same message (id, body, attributes, SentTimestamp).
 */
@QueuesContract
class DeadLetterQueueTest extends QueuesCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final QueueKey dlq;

    DeadLetterQueueTest(Backend backend) {
        super(backend);
        this.dlq = sluice.createQueue("dlq");
    }

    static String allowByQueue(QueueKey... sources) {
        StringBuilder arns = new StringBuilder();
        for (QueueKey source : sources) {
            arns.append(arns.isEmpty() ? "" : ",")
                    .append('"')
                    .append(arn(source))
                    .append('"');
        }
        return "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[" + arns + "]}";
    }

    /** Receives the message and lets its visibility timeout run out, {@code times} times. */
    private void receiveAndLetGo(QueueKey queue, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(sluice.receive(queue, 10, TIMEOUT))
                    .as("receive %d", i + 1)
                    .isNotEmpty();
            sluice.clock.advance(TIMEOUT);
        }
    }

    // ---- RedrivePolicy validation

    @Test
    void redrivePolicyIsStoredAsGivenAndCanBeRemoved() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 5));
        assertThat(sluice.info(source).settings().redrivePolicy())
                .isEqualTo(new RedrivePolicy(new QueueArn("us-east-1", dlq), 5));
        assertThat(sluice.info(source).settings().values())
                .containsEntry("RedrivePolicy", redrive(dlq, 5).get("RedrivePolicy"));

        join(sluice.queues.setAttributes(source, Map.of("RedrivePolicy", "")));

        assertThat(sluice.info(source).settings().redrivePolicy()).isNull();
        assertThat(sluice.info(source).settings().values()).doesNotContainKey("RedrivePolicy");
    }

    @Test
    void maxReceiveCountMayBeAJsonString() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, "\"7\""));

        assertThat(sluice.info(source).settings().redrivePolicy().maxReceiveCount())
                .isEqualTo(7);
    }

    @Test
    void maxReceiveCountIs1To1000() {
        sluice.createQueue("at-min", redrive(dlq, 1));
        sluice.createQueue("at-max", redrive(dlq, 1000));
        QueueKey existing = sluice.createQueue("existing");

        for (Object bad : List.of(0, 1001, -1, "\"many\"")) {
            assertThat(errorOf(() -> sluice.queues.createQueue(key("rejected"), redrive(dlq, bad), Map.of())))
                    .as("CreateQueue maxReceiveCount %s", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
            assertThat(errorOf(() -> sluice.queues.setAttributes(existing, redrive(dlq, bad))))
                    .as("SetQueueAttributes maxReceiveCount %s", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }
        assertThat(join(sluice.queues.queueNames(QueuesFixture.ACCOUNT, "rejected")))
                .isEmpty();
    }

    @Test
    void targetMustExist() {
        QueueKey existing = sluice.createQueue("existing");

        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), redrive(key("missing"), 3), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, redrive(key("missing"), 3))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.info(existing).settings().redrivePolicy()).isNull();
    }

    @Test
    void targetMustBeOfTheSameType() {
        QueueKey fifoDlq = sluice.createQueue("dlq.fifo", CONTENT_BASED);

        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), redrive(fifoDlq, 3), Map.of())))
                .as("standard source, FIFO target")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        Map<String, String> fifoToStandard = new HashMap<>(CONTENT_BASED);
        fifoToStandard.putAll(redrive(dlq, 3));
        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders.fifo"), fifoToStandard, Map.of())))
                .as("FIFO source, standard target")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void targetMustBeInTheSameAccount() {
        QueueKey otherAccount = new QueueKey("111111111111", "dlq");
        join(sluice.queues.createQueue(otherAccount, Map.of(), Map.of()));

        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), redrive(otherAccount, 3), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void anotherAccountsQueueGetsTheSameAnswerWhetherOrNotItExists() {
        QueueKey existing = new QueueKey("111111111111", "dlq");
        join(sluice.queues.createQueue(existing, Map.of(), Map.of()));
        QueueKey missing = new QueueKey("111111111111", "no-such-queue");

        String toExisting = messageOf(() -> sluice.queues.createQueue(key("orders"), redrive(existing, 3), Map.of()));
        String toMissing = messageOf(() -> sluice.queues.createQueue(key("orders"), redrive(missing, 3), Map.of()));

        assertThat(toExisting.replace(existing.name(), "NAME")).isEqualTo(toMissing.replace(missing.name(), "NAME"));
        assertThat(toMissing).contains("owner should be same as the source");
    }

    private static String messageOf(
            java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<?>> call) {
        try {
            join(call.get());
        } catch (QueueException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a refusal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"deadLetterTargetArn\":", "[]", "42", "\"text\""})
    void malformedRedrivePolicyIsAnInvalidAttributeValue(String policy) {
        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), Map.of("RedrivePolicy", policy), Map.of())))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\"}",
                "{\"deadLetterTargetArn\":42,\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"dlq\",\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"arn:aws:sns:us-east-1:000000000000:dlq\",\"maxReceiveCount\":3}"
            })
    void redrivePolicyWithMissingOrWrongFieldsIsAnInvalidParameterValue(String policy) {
        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), Map.of("RedrivePolicy", policy), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    // ---- RedriveAllowPolicy

    @Test
    void allowAllIsTheDefault() {
        assertThat(sluice.info(dlq).settings().redriveAllowPolicy()).isEqualTo(RedriveAllowPolicy.ALLOW_ALL);
        join(sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"allowAll\"}")));

        sluice.createQueue("orders", redrive(dlq, 3));
    }

    @Test
    void denyAllRefusesEverySource() {
        join(sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}")));
        QueueKey existing = sluice.createQueue("existing");

        assertThat(errorOf(() -> sluice.queues.createQueue(key("orders"), redrive(dlq, 3), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.setAttributes(existing, redrive(dlq, 3))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void byQueueAllowsOnlyTheListedSources() {
        QueueKey allowed = key("allowed");
        join(sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", allowByQueue(allowed))));

        sluice.createQueue("allowed", redrive(dlq, 3));
        assertThat(errorOf(() -> sluice.queues.createQueue(key("other"), redrive(dlq, 3), Map.of())))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void byQueueTakesUpTo10SourceQueueArns() {
        QueueKey[] ten =
                IntStream.range(0, 10).mapToObj(i -> key("source-" + i)).toArray(QueueKey[]::new);
        QueueKey[] eleven =
                IntStream.range(0, 11).mapToObj(i -> key("source-" + i)).toArray(QueueKey[]::new);

        join(sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", allowByQueue(ten))));
        assertThat(sluice.info(dlq).settings().redriveAllowPolicy().sourceQueues())
                .hasSize(10);
        assertThat(errorOf(() -> sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", allowByQueue(eleven)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", allowByQueue()))))
                .as("and at least one")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"redrivePermission\":\"byQueue\"}",
                "{\"redrivePermission\":\"allowAll\",\"sourceQueueArns\":[\"arn:aws:sqs:us-east-1:000000000000:a\"]}",
                "{\"redrivePermission\":\"denyAll\",\"sourceQueueArns\":[\"arn:aws:sqs:us-east-1:000000000000:a\"]}",
                "{\"redrivePermission\":\"allowSome\"}",
                "{}",
                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"not an arn\"]}"
            })
    void invalidRedriveAllowPolicyIsAnInvalidParameterValue(String policy) {
        assertThat(errorOf(() -> sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", policy))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.info(dlq).settings().redriveAllowPolicy()).isEqualTo(RedriveAllowPolicy.ALLOW_ALL);
    }

    @Test
    void malformedRedriveAllowPolicyIsAnInvalidAttributeValue() {
        assertThat(errorOf(() -> sluice.queues.setAttributes(dlq, Map.of("RedriveAllowPolicy", "{oops"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
    }

    // ---- moving messages

    @Test
    void messageMovesOnTheReceiveAfterMaxReceiveCountKeepingItsIdentity() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 2));
        String id = sluice.send(source, QueuesFixture.message("poison", Map.of("kind", string("bad"))))
                .messageId();
        ReceivedMessage original = sluice.receive(source, 1, TIMEOUT).getFirst();
        sluice.clock.advance(TIMEOUT);
        assertThat(sluice.receive(source, 1, TIMEOUT)).hasSize(1);
        sluice.clock.advance(TIMEOUT);
        assertThat(sluice.counts(source))
                .as("still in the source until a receive")
                .containsExactly(1, 0, 0);

        assertThat(sluice.receive(source, 10, TIMEOUT))
                .as("the third receive moves it instead")
                .isEmpty();

        assertThat(sluice.counts(source)).containsExactly(0, 0, 0);
        assertThat(sluice.counts(dlq))
                .as("visible in the dead-letter queue at once")
                .containsExactly(1, 0, 0);
        ReceivedMessage moved = sluice.receiveOne(dlq);
        assertThat(moved.messageId()).isEqualTo(id);
        assertThat(moved.body()).isEqualTo("poison");
        assertThat(moved.messageAttributes()).isEqualTo(Map.of("kind", string("bad")));
        assertThat(moved.sentTimestamp()).isEqualTo(original.sentTimestamp());
        assertThat(moved.senderId()).isEqualTo(original.senderId());
        assertThat(moved.deadLetterSourceQueue()).isEqualTo(key("orders"));
    }

    @Test
    void receiveCountCarriesOverToTheDeadLetterQueue() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        ReceivedMessage first = sluice.receive(source, 1, TIMEOUT).getFirst();
        sluice.clock.advance(TIMEOUT);
        assertThat(sluice.receive(source, 10, TIMEOUT)).isEmpty();

        ReceivedMessage moved = sluice.receiveOne(dlq);

        // SQS: with maxReceiveCount 1 the first receive from the dead-letter queue shows ApproximateReceiveCount 2
        // (recorded against AWS in LocalStack's test_dead_letter_queue_message_attributes).
        assertThat(moved.receiveCount()).isEqualTo(2);
        assertThat(moved.firstReceiveTimestamp()).isEqualTo(first.firstReceiveTimestamp());
    }

    @Test
    void messageMovesExactlyOnce() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        receiveAndLetGo(source, 1);

        assertThat(sluice.receive(source, 10)).isEmpty();
        assertThat(sluice.receive(source, 10)).isEmpty();
        sluice.clock.advance(TIMEOUT);
        assertThat(sluice.receive(source, 10)).isEmpty();

        assertThat(sluice.counts(dlq)).containsExactly(1, 0, 0);
        QueuesFixture after = sluice.restart();
        assertThat(after.counts(source))
                .as("after a restart, none in the source")
                .containsExactly(0, 0, 0);
        assertThat(after.counts(dlq)).as("and one in the dead-letter queue").containsExactly(1, 0, 0);
    }

    @Test
    void receiveThatMovesAMessageStillReturnsTheOthers() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        receiveAndLetGo(source, 1);
        sluice.send(source, "fine");

        assertThat(bodies(sluice.receive(source, 10))).containsExactly("fine");
        assertThat(bodies(sluice.receive(dlq, 10))).containsExactly("poison");
    }

    @Test
    void messageUnderMaxReceiveCountStays() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 3));
        sluice.send(source, "retried");
        receiveAndLetGo(source, 2);

        ReceivedMessage third = sluice.receiveOne(source);

        assertThat(third.receiveCount()).isEqualTo(3);
        assertThat(sluice.counts(dlq)).containsExactly(0, 0, 0);
    }

    @Test
    void sentTimestampKeepsCountingTowardsRetentionInTheDeadLetterQueue() {
        QueueKey shortDlq = sluice.createQueue("short-dlq", Map.of("MessageRetentionPeriod", "60"));
        QueueKey source = sluice.createQueue("orders", redrive(shortDlq, 1));
        sluice.send(source, "poison");
        receiveAndLetGo(source, 1);
        sluice.receive(source, 10);
        assertThat(sluice.counts(shortDlq)).containsExactly(1, 0, 0);

        sluice.clock.advanceSeconds(30);

        assertThat(sluice.counts(shortDlq))
                .as("60 s after it was first sent: standard queues keep the original enqueue time")
                .containsExactly(0, 0, 0);
    }

    @Test
    void fifoMessageStartsItsRetentionAgainInTheDeadLetterQueue() {
        Map<String, String> dlqAttributes = new HashMap<>(CONTENT_BASED);
        dlqAttributes.put("MessageRetentionPeriod", "60");
        QueueKey shortDlq = sluice.createQueue("short-dlq.fifo", dlqAttributes);
        Map<String, String> attributes = new HashMap<>(CONTENT_BASED);
        attributes.putAll(redrive(shortDlq, 1));
        QueueKey source = sluice.createQueue("orders.fifo", attributes);
        sluice.send(source, grouped("poison", "a"));
        sluice.clock.advanceSeconds(40);
        assertThat(bodies(sluice.receive(source, 1, TIMEOUT))).containsExactly("poison");
        sluice.clock.advance(TIMEOUT);
        sluice.receive(source, 1, TIMEOUT);
        assertThat(sluice.counts(shortDlq)).containsExactly(1, 0, 0);

        sluice.clock.advanceSeconds(30);
        assertThat(sluice.counts(shortDlq))
                .as("over 60 s after the send, but 30 s after the move: FIFO restarts the enqueue time")
                .containsExactly(1, 0, 0);
        sluice.clock.advanceSeconds(30);
        assertThat(sluice.counts(shortDlq)).containsExactly(0, 0, 0);
    }

    @Test
    void fifoMessageMovesToAFifoDeadLetterQueueKeepingItsGroup() {
        QueueKey fifoDlq = sluice.createQueue("dlq.fifo", CONTENT_BASED);
        Map<String, String> attributes = new HashMap<>(CONTENT_BASED);
        attributes.putAll(redrive(fifoDlq, 1));
        QueueKey source = sluice.createQueue("orders.fifo", attributes);
        sluice.send(source, grouped("a1", "a"));
        sluice.send(source, grouped("a2", "a"));
        assertThat(bodies(sluice.receive(source, 1, TIMEOUT))).containsExactly("a1");
        sluice.clock.advance(TIMEOUT);

        assertThat(bodies(sluice.receive(source, 1, TIMEOUT)))
                .as("a1 moves; the group goes on with a2")
                .containsExactly("a2");

        ReceivedMessage moved = sluice.receiveOne(fifoDlq);
        assertThat(moved.body()).isEqualTo("a1");
        assertThat(moved.messageGroupId()).isEqualTo("a");
        assertThat(moved.deadLetterSourceQueue()).isEqualTo(key("orders.fifo"));
    }

    @Test
    void fifoDeadLetterQueueKeepsTheOrderOfAGroupsMovedMessages() {
        QueueKey fifoDlq = sluice.createQueue("dlq.fifo", CONTENT_BASED);
        Map<String, String> attributes = new HashMap<>(CONTENT_BASED);
        attributes.putAll(redrive(fifoDlq, 1));
        QueueKey source = sluice.createQueue("orders.fifo", attributes);
        sluice.send(source, grouped("a1", "a"));
        sluice.send(source, grouped("a2", "a"));
        sluice.send(source, grouped("a3", "a"));
        assertThat(sluice.receive(source, 10, TIMEOUT)).hasSize(3);
        sluice.clock.advance(TIMEOUT);

        assertThat(sluice.receive(source, 10, TIMEOUT)).isEmpty();

        assertThat(bodies(sluice.receive(fifoDlq, 10))).containsExactly("a1", "a2", "a3");
    }

    @Test
    void longPollOnTheSourceDoesNotGetTheMovedMessage() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        sluice.receive(source, 1, Duration.ofSeconds(5));
        var poll = sluice.longPoll(source, 10, Duration.ofSeconds(20));

        sluice.clock.advanceSeconds(5);

        assertThat(poll).as("the poll keeps waiting").isNotDone();
        assertThat(sluice.counts(dlq)).containsExactly(1, 0, 0);
        sluice.send(source, "fine");
        assertThat(bodies(join(poll))).containsExactly("fine");
    }

    @Test
    void longPollOnTheSourceEndsEmptyWhenOnlyAMovedMessageWasThere() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        sluice.receive(source, 1, Duration.ofSeconds(5));
        var poll = sluice.longPoll(source, 10, Duration.ofSeconds(20));

        sluice.clock.advanceSeconds(20);

        assertThat(join(poll)).isEmpty();
        assertThat(sluice.counts(dlq)).containsExactly(1, 0, 0);
    }

    @Test
    void longPollOnTheDeadLetterQueueGetsTheMovedMessage() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        receiveAndLetGo(source, 1);
        var poll = sluice.longPoll(dlq, 10, Duration.ofSeconds(20));

        sluice.receive(source, 10);

        assertThat(bodies(join(poll))).containsExactly("poison");
    }

    @Test
    void deletedDeadLetterQueueStopsTheMoves() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        receiveAndLetGo(source, 1);
        join(sluice.queues.deleteQueue(dlq));

        assertThat(sluice.receiveOne(source).receiveCount())
                .as("with no queue to move to, the message stays and is received again")
                .isEqualTo(2);
    }

    @Test
    void deadLetterSourceQueuesListsTheQueuesPointingAtTheDeadLetterQueue() {
        sluice.createQueue("orders", redrive(dlq, 3));
        sluice.createQueue("invoices", redrive(dlq, 5));
        QueueKey other = sluice.createQueue("other-dlq");
        sluice.createQueue("unrelated", redrive(other, 3));
        QueueKey changed = sluice.createQueue("changed", redrive(dlq, 3));
        join(sluice.queues.setAttributes(changed, Map.of("RedrivePolicy", "")));

        assertThat(join(sluice.queues.deadLetterSourceQueues(dlq))).containsExactly(key("invoices"), key("orders"));
        assertThat(join(sluice.queues.deadLetterSourceQueues(other))).containsExactly(key("unrelated"));
        assertThat(join(sluice.queues.deadLetterSourceQueues(key("unrelated")))).isEmpty();
        assertThat(errorOf(() -> sluice.queues.deadLetterSourceQueues(key("missing"))))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }

    // ---- across restarts

    @Test
    void moveSurvivesARestart() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        String id = sluice.send(source, "poison");
        receiveAndLetGo(source, 1);
        sluice.receive(source, 10);

        QueuesFixture after = sluice.restart();

        assertThat(after.counts(source)).containsExactly(0, 0, 0);
        assertThat(after.counts(dlq)).containsExactly(1, 0, 0);
        ReceivedMessage moved = after.receiveOne(dlq);
        assertThat(moved.messageId()).isEqualTo(id);
        assertThat(moved.deadLetterSourceQueue()).isEqualTo(key("orders"));
        assertThat(join(after.queues.deadLetterSourceQueues(dlq))).containsExactly(source);
    }

    @Test
    void receiveCountFromBeforeARestartStillLeadsToTheMove() {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 2));
        sluice.send(source, "poison");
        receiveAndLetGo(source, 2);

        QueuesFixture after = sluice.restart();

        assertThat(after.receive(source, 10)).isEmpty();
        assertThat(bodies(after.receive(dlq, 10))).containsExactly("poison");
    }
}
