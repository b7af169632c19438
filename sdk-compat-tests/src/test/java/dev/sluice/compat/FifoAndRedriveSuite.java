package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FIFO queues, fair-queue group ids on standard queues, dead-letter queues, redrive policies and message move tasks,
 * written once against {@link SqsPort} and run once per SDK by the concrete subclasses, like {@link SqsBehaviourSuite}
 * (a separate class so that suite stays readable; both take their helpers from {@link SqsSuiteSupport}). Real SQS
 * is the specification; where the AWS documentation leaves an error code open, the test says which reading it took.
 *
 * <p>Both SDKs model every action here: AWS SDK for Java v1 1.12.500 (2023-06-30) already has
 * ListDeadLetterSourceQueues and the three message move task actions, which AWS launched in June 2023.
 */
abstract class FifoAndRedriveSuite extends SqsSuiteSupport {
    /** Message move tasks (StartMessageMoveTask and the rest). */
    static final String MOVE_TASKS = "message move tasks";
    /** FIFO ReceiveRequestAttemptId: a retried receive gets the same messages and handles. */
    static final String RECEIVE_ATTEMPT_IDS = "ReceiveRequestAttemptId";

    /**
     * What the server mode under test has not built yet (the PostgreSQL mode's documented gaps, README): those tests
     * are skipped, reported as skipped, never passed.
     */
    protected Set<String> notBuilt() {
        return Set.of();
    }

    private void assumeBuilt(String feature) {
        assumeFalse(notBuilt().contains(feature), feature + ": not built in this server mode");
    }

    static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";

    // Creating FIFO queues

    @Test
    void aFifoQueueHasTheFifoAttributesWithTheirDefaults() {
        String url = sqs.createQueue(fifoName("create"), Map.of("FifoQueue", "true"), Map.of());

        // SQS: ContentBasedDeduplication defaults to false, DeduplicationScope to queue, FifoThroughputLimit to
        // perQueue (CreateQueue API reference).
        assertThat(sqs.getQueueAttributes(url, List.of("All")))
                .containsEntry("FifoQueue", "true")
                .containsEntry("ContentBasedDeduplication", "false")
                .containsEntry("DeduplicationScope", "queue")
                .containsEntry("FifoThroughputLimit", "perQueue");
        assertThat(url).endsWith(".fifo");
    }

    @Test
    void aStandardQueueHasNoFifoAttributes() {
        String url = sqs.createQueue(queueName("std"), Map.of(), Map.of());

        assertThat(sqs.getQueueAttributes(url, List.of("All")))
                .doesNotContainKeys(
                        "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");
    }

    @Test
    void aFifoNameWithoutTheFifoQueueAttributeIsAnInvalidStandardQueueName() {
        // SQS: without FifoQueue=true the queue is standard, and "." is not allowed in a standard queue's name.
        assertError(() -> sqs.createQueue(fifoName("nofifo"), Map.of(), Map.of()), INVALID_PARAMETER_VALUE, 400);
    }

    @Test
    void theFifoQueueAttributeNeedsANameEndingInDotFifo() {
        assertError(
                () -> sqs.createQueue(queueName("nosuffix"), Map.of("FifoQueue", "true"), Map.of()),
                INVALID_PARAMETER_VALUE,
                400);
    }

    @Test
    void fifoQueueCanOnlyBeSetAtCreation() {
        String url = sqs.createQueue(queueName("later"), Map.of(), Map.of());

        // SQS: "You can't change the queue type after you create it" (SetQueueAttributes does not list FifoQueue);
        // an attribute SetQueueAttributes does not know is InvalidAttributeName.
        assertError(() -> sqs.setQueueAttributes(url, Map.of("FifoQueue", "true")), "InvalidAttributeName", 400);
        assertThat(sqs.getQueueAttributes(url, List.of("All"))).doesNotContainKey("FifoQueue");
    }

    @Test
    void onAFifoQueueFifoQueueTrueIsANoOpAndFalseIsRefused() {
        String url = newFifoQueue("settype", Map.of());

        // Recorded against AWS in LocalStack's test_set_unsupported_attribute_fifo.
        sqs.setQueueAttributes(url, Map.of("FifoQueue", "true"));
        var error = assertError(
                () -> sqs.setQueueAttributes(url, Map.of("FifoQueue", "false")), "InvalidAttributeValue", 400);
        assertThat(error.getMessage())
                .contains("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
        assertThat(sqs.getQueueAttributes(url, List.of("FifoQueue"))).containsEntry("FifoQueue", "true");
    }

    static Stream<Map<String, String>> fifoOnlyAttributes() {
        return Stream.of(
                Map.of("ContentBasedDeduplication", "true"),
                Map.of("DeduplicationScope", "messageGroup"),
                Map.of("FifoThroughputLimit", "perQueue"));
    }

    @ParameterizedTest
    @MethodSource("fifoOnlyAttributes")
    void fifoOnlyAttributesAreUnknownOnAStandardQueue(Map<String, String> attribute) {
        // SQS answers "Unknown Attribute ContentBasedDeduplication." for a standard queue (as moto and ElasticMQ
        // record); the same reading is taken for the two high-throughput attributes.
        var onCreate = assertError(
                () -> sqs.createQueue(queueName("fifoattr"), attribute, Map.of()), "InvalidAttributeName", 400);

        String url = sqs.createQueue(queueName("fifoattr"), Map.of(), Map.of());
        var onSet = assertError(() -> sqs.setQueueAttributes(url, attribute), "InvalidAttributeName", 400);
        // Recorded against AWS in LocalStack's test_create_standard_queue_with_fifo_attribute_raises_error.
        String name = attribute.keySet().iterator().next();
        String message = name.equals("ContentBasedDeduplication")
                ? "Unknown Attribute ContentBasedDeduplication."
                : "You can specify the " + name + " only when FifoQueue is set to true.";
        assertThat(onCreate.getMessage()).contains(message);
        assertThat(onSet.getMessage()).contains(message);
    }

    @Test
    void perMessageGroupIdThroughputNeedsMessageGroupDeduplicationScope() {
        assertError(
                () -> sqs.createQueue(
                        fifoName("htp"),
                        Map.of(
                                "FifoQueue",
                                "true",
                                "DeduplicationScope",
                                "queue",
                                "FifoThroughputLimit",
                                "perMessageGroupId"),
                        Map.of()),
                "InvalidAttributeValue",
                400);

        String url = sqs.createQueue(
                fifoName("htp"),
                Map.of(
                        "FifoQueue",
                        "true",
                        "DeduplicationScope",
                        "messageGroup",
                        "FifoThroughputLimit",
                        "perMessageGroupId"),
                Map.of());
        assertThat(sqs.getQueueAttributes(url, List.of("DeduplicationScope", "FifoThroughputLimit")))
                .isEqualTo(Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
    }

    // Sending to FIFO and standard queues

    @Test
    void aFifoSendWithoutMessageGroupIdFailsWithMissingParameter() {
        String url = newFifoQueue("nogroup", Map.of());

        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.of("x").withMessageDeduplicationId("d")),
                "MissingParameter",
                400);
    }

    @Test
    void aFifoSendNeedsADeduplicationIdUnlessContentBasedDeduplicationIsOn() {
        String url = newFifoQueue("nodedup", Map.of());

        // SQS: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided
        // explicitly" (InvalidParameterValue).
        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.of("x").withMessageGroupId("g")),
                INVALID_PARAMETER_VALUE,
                400);
    }

    @Test
    void perMessageDelaySecondsIsRejectedOnAFifoQueueExceptZero() {
        String url = newFifoQueue("delay", Map.of());

        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.fifo("x", "g", "d1").withDelaySeconds(5)),
                INVALID_PARAMETER_VALUE,
                400);
        assertThat(sqs.sendMessage(url, OutgoingMessage.fifo("x", "g", "d2").withDelaySeconds(0))
                        .messageId())
                .isNotBlank();
    }

    @Test
    void aFifoBatchWithAnEntryWithoutMessageGroupIdOrDeduplicationIdFailsAsAWhole() {
        String url = newFifoQueue("batchnogroup", Map.of());

        // SQS: the whole request fails, not the entry (recorded against AWS in LocalStack's
        // test_send_batch_missing_message_group_id_for_fifo_queue and ..._deduplication_id_for_fifo_queue).
        var noGroup = assertError(
                () -> sqs.sendMessageBatch(
                        url,
                        List.of(
                                new SendBatchEntry("ok", OutgoingMessage.fifo("a", "g", "d1")),
                                new SendBatchEntry(
                                        "bad", OutgoingMessage.of("b").withMessageDeduplicationId("d2")))),
                INVALID_PARAMETER_VALUE,
                400);
        assertThat(noGroup.getMessage()).contains("The request must contain the parameter MessageGroupId.");
        var noDeduplication = assertError(
                () -> sqs.sendMessageBatch(
                        url,
                        List.of(
                                new SendBatchEntry("ok", OutgoingMessage.fifo("a", "g", "d1")),
                                new SendBatchEntry(
                                        "bad", OutgoingMessage.of("b").withMessageGroupId("g")))),
                INVALID_PARAMETER_VALUE,
                400);
        assertThat(noDeduplication.getMessage())
                .contains("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId"
                        + " provided explicitly");
        assertThat(sqs.getQueueAttributes(url, COUNTS)).as("nothing was sent").containsValues("0", "0", "0");
    }

    @Test
    void delaySecondsZeroOnAFifoQueueStillGetsTheQueueDelay() {
        String url = newFifoQueue("zerodelay", Map.of("DelaySeconds", "60"));

        sqs.sendMessage(url, OutgoingMessage.fifo("later", "g", "d").withDelaySeconds(0));

        // Recorded against AWS in LocalStack's test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay.
        assertThat(sqs.getQueueAttributes(url, COUNTS)).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
    }

    @Test
    void messageDeduplicationIdIsRejectedOnAStandardQueue() {
        String url = sqs.createQueue(queueName("stddedup"), Map.of(), Map.of());

        assertError(
                () -> sqs.sendMessage(url, OutgoingMessage.of("x").withMessageDeduplicationId("d")),
                INVALID_PARAMETER_VALUE,
                400);
    }

    @Test
    void messageGroupIdOnAStandardQueueIsAcceptedAndReturned() {
        String url = sqs.createQueue(queueName("fair"), Map.of(), Map.of());

        // SQS fair queues (2025): a standard queue takes MessageGroupId as the tenant id and returns it; a standard
        // queue assigns no SequenceNumber.
        var sent = sqs.sendMessage(url, OutgoingMessage.of("tenant message").withMessageGroupId("tenant-1"));
        assertThat(sent.sequenceNumber()).isNull();

        var received = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("All"));
        assertThat(received.messageId()).isEqualTo(sent.messageId());
        assertThat(received.attributes())
                .containsEntry("MessageGroupId", "tenant-1")
                .doesNotContainKeys("SequenceNumber", "MessageDeduplicationId");
    }

    @Test
    void aDuplicateSendReturnsTheFirstMessageIdAndSequenceNumberAndAddsNothing() {
        String url = newFifoQueue("dup", Map.of());

        var first = sqs.sendMessage(url, OutgoingMessage.fifo("first body", "g", "same-id"));
        var second = sqs.sendMessage(url, OutgoingMessage.fifo("other body", "g", "same-id"));

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.sequenceNumber()).isEqualTo(first.sequenceNumber());
        var received = sqs.receiveMessage(url, ReceiveRequest.upTo(10));
        assertThat(received).extracting(ReceivedMessage::body).containsExactly("first body");
    }

    @Test
    void contentBasedDeduplicationUsesTheBodyAndAnExplicitIdOverridesIt() {
        String url = newFifoQueue("cbd", Map.of("ContentBasedDeduplication", "true"));

        var first = sqs.sendMessage(url, OutgoingMessage.of("same body").withMessageGroupId("g"));
        var sameBody = sqs.sendMessage(url, OutgoingMessage.of("same body").withMessageGroupId("g"));
        var otherBody = sqs.sendMessage(url, OutgoingMessage.of("other body").withMessageGroupId("g"));
        var explicitId = sqs.sendMessage(url, OutgoingMessage.fifo("same body", "g", "explicit"));

        assertThat(sameBody.messageId()).isEqualTo(first.messageId());
        assertThat(otherBody.messageId()).isNotEqualTo(first.messageId());
        assertThat(explicitId.messageId()).isNotEqualTo(first.messageId());

        var received = receiveAll(url, 3, ReceiveRequest.upTo(10).attributeNames("All"));
        // SQS: the content-based deduplication id is the SHA-256 of the body (CreateQueue API reference), returned
        // as the MessageDeduplicationId system attribute; the reading that it is lower-case hex is unverified.
        assertThat(received.get(0).attributes()).containsEntry("MessageDeduplicationId", sha256Hex("same body"));
        assertThat(received.get(2).attributes()).containsEntry("MessageDeduplicationId", "explicit");
    }

    @Test
    void purgeQueueForgetsTheDeduplicationIds() {
        String url = newFifoQueue("purgededup", Map.of());
        var first = sqs.sendMessage(url, OutgoingMessage.fifo("message-1", "g", "same-id"));

        sqs.purgeQueue(url);
        var again = sqs.sendMessage(url, OutgoingMessage.fifo("message-2", "g", "same-id"));

        // Recorded against AWS in LocalStack's test_purge_queue_clears_fifo_deduplication_cache.
        assertThat(again.messageId()).isNotEqualTo(first.messageId());
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10)))
                .extracting(ReceivedMessage::body)
                .containsExactly("message-2");
    }

    @Test
    void theDeduplicationWindowOutlivesDeletion() {
        String url = newFifoQueue("dedupdel", Map.of());
        var first = sqs.sendMessage(url, OutgoingMessage.fifo("body", "g", "kept"));
        var received = receiveOne(url, ReceiveRequest.upTo(1));
        sqs.deleteMessage(url, received.receiptHandle());

        // SQS: "If a message with a particular message deduplication ID is sent successfully, any messages sent with
        // the same message deduplication ID are accepted successfully but aren't delivered during the 5-minute
        // deduplication interval" — deleting the first message does not end the interval.
        var again = sqs.sendMessage(url, OutgoingMessage.fifo("body", "g", "kept"));
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();
    }

    @Test
    void deduplicationScopeMessageGroupDeduplicatesPerGroup() {
        String url = newFifoQueue(
                "scope", Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));

        var inA = sqs.sendMessage(url, OutgoingMessage.fifo("a", "A", "same"));
        var inB = sqs.sendMessage(url, OutgoingMessage.fifo("b", "B", "same"));
        var againInA = sqs.sendMessage(url, OutgoingMessage.fifo("a2", "A", "same"));

        assertThat(inB.messageId()).isNotEqualTo(inA.messageId());
        assertThat(againInA.messageId()).isEqualTo(inA.messageId());
    }

    @Test
    void sequenceNumbersAreLargeDecimalStringsThatGrowWithEverySend() {
        String url = newFifoQueue("seq", Map.of());

        List<BigInteger> sequences = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String sequence = sqs.sendMessage(url, OutgoingMessage.fifo("m" + i, i % 2 == 0 ? "even" : "odd", "d" + i))
                    .sequenceNumber();
            // SQS: "The large, non-consecutive number that Amazon SQS assigns to each message", a string of up to
            // 128 bits' worth of digits.
            assertThat(sequence).matches("[0-9]{1,39}");
            sequences.add(new BigInteger(sequence));
        }
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void groupDeduplicationAndSequenceNumberComeBackAsSystemAttributes() {
        String url = newFifoQueue("sysattrs", Map.of());
        var sent = sqs.sendMessage(url, OutgoingMessage.fifo("body", "group-1", "dedup-1"));

        var all = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("All").visibilityTimeout(0));
        assertThat(all.attributes())
                .containsEntry("MessageGroupId", "group-1")
                .containsEntry("MessageDeduplicationId", "dedup-1")
                .containsEntry("SequenceNumber", sent.sequenceNumber());

        var named = receiveOne(url, ReceiveRequest.upTo(1).attributeNames("SequenceNumber"));
        assertThat(named.attributes()).isEqualTo(Map.of("SequenceNumber", sent.sequenceNumber()));
    }

    // FIFO ordering

    @Test
    void aReceiveReturnsEachGroupsMessagesInSendOrder() {
        String url = newFifoQueue("order", Map.of());
        for (int i = 0; i < 4; i++) {
            sqs.sendMessage(url, OutgoingMessage.fifo("A" + i, "A", "a" + i));
            sqs.sendMessage(url, OutgoingMessage.fifo("B" + i, "B", "b" + i));
        }

        var bodies = receiveAll(url, 8, ReceiveRequest.upTo(10)).stream()
                .map(ReceivedMessage::body)
                .toList();
        assertThat(bodies.stream().filter(b -> b.startsWith("A"))).containsExactly("A0", "A1", "A2", "A3");
        assertThat(bodies.stream().filter(b -> b.startsWith("B"))).containsExactly("B0", "B1", "B2", "B3");
    }

    @Test
    void anInFlightMessageBlocksTheRestOfItsGroupButNotOtherGroups() {
        String url = newFifoQueue("block", Map.of());
        sqs.sendMessage(url, OutgoingMessage.fifo("A0", "A", "a0"));
        sqs.sendMessage(url, OutgoingMessage.fifo("A1", "A", "a1"));
        sqs.sendMessage(url, OutgoingMessage.fifo("B0", "B", "b0"));

        var head = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(60));
        assertThat(head.body()).isEqualTo("A0");

        // A1 must wait for A0; B is another group and is served.
        var next = sqs.receiveMessage(url, ReceiveRequest.upTo(10).visibilityTimeout(60));
        assertThat(next).extracting(ReceivedMessage::body).containsExactly("B0");
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10))).isEmpty();

        // Released (not deleted), A0 comes back before A1.
        sqs.changeMessageVisibility(url, head.receiptHandle(), 0);
        var again = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(60));
        assertThat(again.messageId()).isEqualTo(head.messageId());

        sqs.deleteMessage(url, again.receiptHandle());
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10)))
                .extracting(ReceivedMessage::body)
                .containsExactly("A1");
    }

    @Test
    void aGroupIsReleasedAsSoonAsItsFirstMessageIsReceivableAgain() {
        String url = newFifoQueue("release", Map.of());
        sqs.sendMessage(url, OutgoingMessage.fifo("g1-m1", "g1", "1"));
        sqs.sendMessage(url, OutgoingMessage.fifo("g1-m2", "g1", "2"));
        sqs.sendMessage(url, OutgoingMessage.fifo("g2-m1", "g2", "3"));
        var both = sqs.receiveMessage(url, ReceiveRequest.upTo(2).visibilityTimeout(60));
        assertThat(both).extracting(ReceivedMessage::body).containsExactly("g1-m1", "g1-m2");

        sqs.changeMessageVisibility(url, both.get(0).receiptHandle(), 0);

        // SQS: g1-m1 comes back though g1-m2 is still in flight (the reproduction on AWS; LocalStack records
        // the same in test_fifo_message_group_visibility_after_terminate_visibility_timeout).
        assertThat(sqs.receiveMessage(url, ReceiveRequest.upTo(10).visibilityTimeout(60)))
                .extracting(ReceivedMessage::body)
                .containsExactlyInAnyOrder("g1-m1", "g2-m1");
    }

    @Test
    void deletingAFifoMessageWithAnExpiredReceiptHandleFailsAndTheMessageStays() {
        String url = newFifoQueue("expired", Map.of());
        sqs.sendMessage(url, OutgoingMessage.fifo("kept", "g", "d"));
        // VisibilityTimeout=0: the receive is over at once, so its handle has expired.
        var received = receiveOne(url, ReceiveRequest.upTo(1).visibilityTimeout(0));

        // Recorded against AWS in LocalStack's test_fifo_delete_after_visibility_timeout; a standard queue deletes.
        var error = assertError(() -> sqs.deleteMessage(url, received.receiptHandle()), INVALID_PARAMETER_VALUE, 400);
        assertThat(error.getMessage())
                .contains("Value " + received.receiptHandle()
                        + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
        assertThat(receiveOne(url, ReceiveRequest.upTo(1)).body()).isEqualTo("kept");
    }

    @Test
    void aBatchKeepsTheOrderOfItsEntriesWithinAGroup() {
        String url = newFifoQueue("batch", Map.of());
        var entries = IntStream.range(0, 10)
                .mapToObj(i -> new SendBatchEntry(
                        "e" + i, OutgoingMessage.fifo("entry " + i, i % 3 == 0 ? "X" : "Y", "d" + i)))
                .toList();

        var result = sqs.sendMessageBatch(url, entries);
        assertThat(result.failed()).isEmpty();
        var sequences = result.successful().stream()
                .sorted((a, b) ->
                        Integer.compare(Integer.parseInt(a.id().substring(1)), Integer.parseInt(b.id().substring(1))))
                .map(entry -> new BigInteger(entry.sent().sequenceNumber()))
                .toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();

        var bodies = receiveAll(url, 10, ReceiveRequest.upTo(10)).stream()
                .map(ReceivedMessage::body)
                .toList();
        assertThat(bodies.stream()
                        .filter(b -> List.of("entry 0", "entry 3", "entry 6", "entry 9")
                                .contains(b)))
                .containsExactly("entry 0", "entry 3", "entry 6", "entry 9");
        assertThat(bodies.stream()
                        .filter(b -> !List.of("entry 0", "entry 3", "entry 6", "entry 9")
                                .contains(b)))
                .containsExactly("entry 1", "entry 2", "entry 4", "entry 5", "entry 7", "entry 8");
    }

    @Test
    void aRetriedReceiveWithTheSameAttemptIdGetsTheSameMessagesAndHandles() {
        assumeBuilt(RECEIVE_ATTEMPT_IDS);
        String url = newFifoQueue("attempt", Map.of());
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(url, OutgoingMessage.fifo("m" + i, "g", "d" + i));
        }

        var request = ReceiveRequest.upTo(2).visibilityTimeout(60).receiveRequestAttemptId("attempt-1");
        var first = sqs.receiveMessage(url, request);
        var retried = sqs.receiveMessage(url, request);

        // SQS (ReceiveMessage API reference): "During a visibility timeout, subsequent calls with the same
        // ReceiveRequestAttemptId return the same messages and receipt handles."
        assertThat(first).extracting(ReceivedMessage::body).containsExactly("m0", "m1");
        assertThat(retried)
                .extracting(ReceivedMessage::messageId, ReceivedMessage::receiptHandle)
                .containsExactlyElementsOf(first.stream()
                        .map(m -> Tuple.tuple(m.messageId(), m.receiptHandle()))
                        .toList());
        // A different attempt is a new receive: the group is blocked by m0 and m1.
        assertThat(sqs.receiveMessage(url, request.receiveRequestAttemptId("attempt-2")))
                .isEmpty();
    }

    // Dead-letter queues

    @Test
    void aDeadLetteredMessageKeepsItsReceiveCount() {
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 1)), Map.of());

        deadLetter(source, dlq, 1);

        // SQS: with maxReceiveCount 1 the first receive from the dead-letter queue shows ApproximateReceiveCount 2
        // (recorded against AWS in LocalStack's test_dead_letter_queue_message_attributes).
        assertThat(receiveOne(dlq, ReceiveRequest.upTo(1).attributeNames("ApproximateReceiveCount"))
                        .approximateReceiveCount())
                .isEqualTo(2);
    }

    @Test
    void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToTheDeadLetterQueueIntact() {
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 2)), Map.of());
        var sent = sqs.sendMessage(
                source,
                OutgoingMessage.of("poison")
                        .withAttribute("kind", MessageAttribute.string("poison"))
                        .withAttribute("n", MessageAttribute.number("7")));
        var all = ReceiveRequest.upTo(1)
                .visibilityTimeout(0)
                .attributeNames("All")
                .messageAttributeNames("All");

        var firstReceive = receiveOne(source, all);
        receiveOne(source, all);
        // SQS: "When the ReceiveCount for a message exceeds the maxReceiveCount for a queue, Amazon SQS moves the
        // message to a dead-letter-queue": the third receive finds it gone.
        assertThat(sqs.receiveMessage(source, ReceiveRequest.upTo(10))).isEmpty();

        var dead = awaitMessage(dlq, Duration.ofSeconds(5), all);
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.messageAttributes())
                .isEqualTo(Map.of("kind", MessageAttribute.string("poison"), "n", MessageAttribute.number("7")));
        assertThat(dead.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
        // SQS: the DLQ keeps the original enqueue timestamp (developer guide, "the expiration of a message is always
        // based on its original enqueue timestamp") and names the source queue in DeadLetterQueueSourceArn.
        assertThat(dead.attributes())
                .containsEntry("SentTimestamp", firstReceive.attributes().get("SentTimestamp"))
                .containsEntry("DeadLetterQueueSourceArn", arn(source));
        assertThat(sqs.getQueueAttributes(source, COUNTS))
                .containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    void aFifoQueueMovesToAFifoDeadLetterQueueKeepingGroupAndDeduplicationIds() {
        String dlq = newFifoQueue("fdlq", Map.of());
        String source = newFifoQueue("fsrc", Map.of("RedrivePolicy", redrivePolicy(dlq, 1)));
        var sent = sqs.sendMessage(source, OutgoingMessage.fifo("poison", "g", "dedup-poison"));

        receiveOne(source, ReceiveRequest.upTo(1).visibilityTimeout(0));
        assertThat(sqs.receiveMessage(source, ReceiveRequest.upTo(10))).isEmpty();

        var dead =
                awaitMessage(dlq, Duration.ofSeconds(5), ReceiveRequest.upTo(1).attributeNames("All"));
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.attributes())
                .containsEntry("MessageGroupId", "g")
                .containsEntry("MessageDeduplicationId", "dedup-poison")
                .containsKey("SequenceNumber");
    }

    @Test
    void aRedrivePolicyMustNameAnExistingQueueOfTheSameType() {
        String standardDlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String fifoDlq = newFifoQueue("fdlq", Map.of());
        String missing = arn(standardDlq).replace(":compat-", ":missing-compat-");

        assertError(
                () -> sqs.createQueue(
                        queueName("src"), Map.of("RedrivePolicy", redrivePolicyFor(missing, 3)), Map.of()),
                INVALID_PARAMETER_VALUE,
                400);
        assertError(
                () -> sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(fifoDlq, 3)), Map.of()),
                INVALID_PARAMETER_VALUE,
                400);
        assertError(
                () -> sqs.createQueue(
                        fifoName("src"),
                        Map.of("FifoQueue", "true", "RedrivePolicy", redrivePolicy(standardDlq, 3)),
                        Map.of()),
                INVALID_PARAMETER_VALUE,
                400);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1001})
    void maxReceiveCountMustBeBetweenOneAndOneThousand(int maxReceiveCount) {
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of(), Map.of());

        assertError(
                () -> sqs.setQueueAttributes(source, Map.of("RedrivePolicy", redrivePolicy(dlq, maxReceiveCount))),
                INVALID_PARAMETER_VALUE,
                400);
        sqs.setQueueAttributes(source, Map.of("RedrivePolicy", redrivePolicy(dlq, maxReceiveCount == 0 ? 1 : 1000)));
    }

    @Test
    void redriveAllowPolicyDenyAllRefusesEverySourceQueue() {
        String dlq = sqs.createQueue(
                queueName("deny"), Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}"), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of(), Map.of());

        // The error code for a refused source is not documented; InvalidParameterValue is the reading taken, as for
        // every other invalid RedrivePolicy.
        assertError(
                () -> sqs.setQueueAttributes(source, Map.of("RedrivePolicy", redrivePolicy(dlq, 3))),
                INVALID_PARAMETER_VALUE,
                400);
        assertThat(sqs.getQueueAttributes(source, List.of("All"))).doesNotContainKey("RedrivePolicy");
    }

    @Test
    void redriveAllowPolicyByQueueAdmitsOnlyTheListedSources() {
        String allowed = sqs.createQueue(queueName("allowed"), Map.of(), Map.of());
        String other = sqs.createQueue(queueName("other"), Map.of(), Map.of());
        String dlq = sqs.createQueue(queueName("byq"), Map.of(), Map.of());
        String policy = "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"%s\"]}".formatted(arn(allowed));
        sqs.setQueueAttributes(dlq, Map.of("RedriveAllowPolicy", policy));

        sqs.setQueueAttributes(allowed, Map.of("RedrivePolicy", redrivePolicy(dlq, 3)));
        assertError(
                () -> sqs.setQueueAttributes(other, Map.of("RedrivePolicy", redrivePolicy(dlq, 3))),
                INVALID_PARAMETER_VALUE,
                400);
        assertThat(sqs.getQueueAttributes(dlq, List.of("RedriveAllowPolicy")).get("RedriveAllowPolicy"))
                .contains("byQueue")
                .contains(arn(allowed));
    }

    @Test
    void redriveAllowPolicyRejectsMalformedPolicies() {
        String dlq = sqs.createQueue(queueName("badallow"), Map.of(), Map.of());

        // SQS: sourceQueueArns only with byQueue, at most 10 of them.
        assertError(
                () -> sqs.setQueueAttributes(
                        dlq,
                        Map.of(
                                "RedriveAllowPolicy",
                                "{\"redrivePermission\":\"allowAll\",\"sourceQueueArns\":[\"" + arn(dlq) + "\"]}")),
                INVALID_PARAMETER_VALUE,
                400);
        String eleven = IntStream.range(0, 11)
                .mapToObj(i -> "\"arn:aws:sqs:us-east-1:000000000000:q" + i + "\"")
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        assertError(
                () -> sqs.setQueueAttributes(
                        dlq,
                        Map.of(
                                "RedriveAllowPolicy",
                                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[" + eleven + "]}")),
                INVALID_PARAMETER_VALUE,
                400);
    }

    @Test
    void listDeadLetterSourceQueuesPagesWithMaxResultsAndNextToken() {
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        List<String> sources = IntStream.range(0, 3)
                .mapToObj(i ->
                        sqs.createQueue(queueName("src" + i), Map.of("RedrivePolicy", redrivePolicy(dlq, 5)), Map.of()))
                .toList();
        sqs.createQueue(queueName("unrelated"), Map.of(), Map.of());

        var everything = sqs.listDeadLetterSourceQueues(dlq, null, null);
        assertThat(everything.queueUrls()).containsExactlyInAnyOrderElementsOf(sources);
        // SQS: NextToken only when MaxResults is set (ListDeadLetterSourceQueues API reference).
        assertThat(everything.nextToken()).isNull();

        var first = sqs.listDeadLetterSourceQueues(dlq, 2, null);
        assertThat(first.queueUrls()).hasSize(2);
        assertThat(first.nextToken()).isNotBlank();
        var second = sqs.listDeadLetterSourceQueues(dlq, 2, first.nextToken());
        assertThat(second.queueUrls()).hasSize(1);
        assertThat(second.nextToken()).isNull();
        var paged = new ArrayList<>(first.queueUrls());
        paged.addAll(second.queueUrls());
        assertThat(paged).containsExactlyInAnyOrderElementsOf(sources);

        assertThat(sqs.listDeadLetterSourceQueues(sources.get(0), null, null).queueUrls())
                .isEmpty();
    }

    @Test
    void listDeadLetterSourceQueuesOfAMissingQueueFailsWithNonExistentQueue() {
        String url = sqs.createQueue(queueName("anchor"), Map.of(), Map.of());
        String missing = url.substring(0, url.lastIndexOf('/') + 1) + queueName("missing");

        assertError(() -> sqs.listDeadLetterSourceQueues(missing, null, null), NON_EXISTENT_QUEUE, 400);
    }

    // Message move tasks

    @Test
    void aMoveTaskWithoutDestinationReturnsMessagesToTheirSourceQueue() {
        assumeBuilt(MOVE_TASKS);
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 1)), Map.of());
        List<String> ids = deadLetter(source, dlq, 3);

        String handle = sqs.startMessageMoveTask(arn(dlq), null, null);
        assertThat(handle).isNotBlank();

        var done = awaitTaskStatus(arn(dlq), "COMPLETED", Duration.ofSeconds(15));
        assertThat(done.sourceArn()).isEqualTo(arn(dlq));
        assertThat(done.destinationArn()).isNull();
        assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(3L);
        assertThat(done.approximateNumberOfMessagesToMove()).isEqualTo(3L);
        assertThat(done.failureReason()).isNull();
        // SQS returns TaskHandle only for a RUNNING task (ListMessageMoveTasksResultEntry).
        assertThat(done.taskHandle()).isNull();
        assertThat(done.startedTimestamp()).isCloseTo(System.currentTimeMillis(), Offset.offset(60_000L));

        var back = receiveAll(source, 3, ReceiveRequest.upTo(10));
        assertThat(back).extracting(ReceivedMessage::messageId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sqs.receiveMessage(dlq, ReceiveRequest.upTo(10))).isEmpty();

        // CancelMessageMoveTask: "Only active (non-completed) message movement tasks can be cancelled." The error
        // code is not documented (the model lists only ResourceNotFoundException among the modelled errors), so the
        // test asserts a client error and an unchanged task.
        assertThatThrownBy(() -> sqs.cancelMessageMoveTask(handle))
                .isInstanceOfSatisfying(
                        SqsError.class, e -> assertThat(e.status()).isBetween(400, 499));
        assertThat(sqs.listMessageMoveTasks(arn(dlq), null))
                .singleElement()
                .extracting(MessageMoveTask::status)
                .isEqualTo("COMPLETED");
    }

    @Test
    void aMoveTaskWithADestinationAndARateMovesThereAndListsBoth() {
        assumeBuilt(MOVE_TASKS);
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 1)), Map.of());
        String destination = sqs.createQueue(queueName("dest"), Map.of(), Map.of());
        List<String> ids = deadLetter(source, dlq, 2);

        sqs.startMessageMoveTask(arn(dlq), arn(destination), 100);

        var done = awaitTaskStatus(arn(dlq), "COMPLETED", Duration.ofSeconds(15));
        assertThat(done.destinationArn()).isEqualTo(arn(destination));
        assertThat(done.maxNumberOfMessagesPerSecond()).isEqualTo(100);
        assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(2L);
        assertThat(receiveAll(destination, 2, ReceiveRequest.upTo(10)))
                .extracting(ReceivedMessage::messageId)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sqs.receiveMessage(source, ReceiveRequest.upTo(10))).isEmpty();
    }

    @Test
    void aRunningMoveTaskCanBeCancelledAndListsNewestFirst() {
        assumeBuilt(MOVE_TASKS);
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 1)), Map.of());
        deadLetter(source, dlq, 3);
        String dlqArn = arn(dlq);

        String handle = sqs.startMessageMoveTask(dlqArn, null, 1);
        var running = sqs.listMessageMoveTasks(dlqArn, null);
        assertThat(running).singleElement().satisfies(task -> {
            assertThat(task.status()).isEqualTo("RUNNING");
            assertThat(task.taskHandle()).isEqualTo(handle);
            assertThat(task.maxNumberOfMessagesPerSecond()).isEqualTo(1);
        });
        // SQS: one active task per queue.
        assertThatThrownBy(() -> sqs.startMessageMoveTask(dlqArn, null, 1)).isInstanceOf(SqsError.class);

        long moved = sqs.cancelMessageMoveTask(handle);
        assertThat(moved).isBetween(0L, 3L);
        // SQS reports CANCELLING until the task has stopped, then CANCELLED.
        var cancelled = awaitTaskStatus(dlqArn, "CANCELLED", Duration.ofSeconds(10));
        assertThat(cancelled.approximateNumberOfMessagesMoved()).isLessThan(3L);
        long left = Long.parseLong(sqs.getQueueAttributes(dlq, List.of("ApproximateNumberOfMessages"))
                .get("ApproximateNumberOfMessages"));
        assertThat(left).isEqualTo(3L - cancelled.approximateNumberOfMessagesMoved());

        sqs.startMessageMoveTask(dlqArn, null, null);
        awaitTaskStatus(dlqArn, "COMPLETED", Duration.ofSeconds(15));
        assertThat(sqs.listMessageMoveTasks(dlqArn, 10))
                .extracting(MessageMoveTask::status)
                .containsExactly("COMPLETED", "CANCELLED");
    }

    @Test
    void moveTaskActionsNamingNothingFailWithResourceNotFound() {
        String url = sqs.createQueue(queueName("anchor"), Map.of(), Map.of());
        String missingArn = arn(url) + "-missing";

        // SQS model: ResourceNotFoundException, HTTP 404 (awsQueryError), for all three actions; a task handle is
        // base64 of {"taskId","sourceArn"}, and one naming a missing queue or task is not found (recorded against AWS
        // in LocalStack's test_sqs_move_task.py).
        assertError(() -> sqs.cancelMessageMoveTask(taskHandle("task", missingArn)), "ResourceNotFoundException", 404);
        assertError(() -> sqs.cancelMessageMoveTask(taskHandle("task", arn(url))), "ResourceNotFoundException", 404);
        assertError(() -> sqs.listMessageMoveTasks(missingArn, null), "ResourceNotFoundException", 404);
        assertError(() -> sqs.startMessageMoveTask(missingArn, null, null), "ResourceNotFoundException", 404);
    }

    @Test
    void aMalformedTaskHandleIsInvalidParameterValue() {
        var error = assertError(() -> sqs.cancelMessageMoveTask("foobared"), INVALID_PARAMETER_VALUE, 400);
        assertThat(error.getMessage()).contains("Value for parameter TaskHandle is invalid.");
    }

    @Test
    void aTaskHandleIsBase64OfTheTaskIdAndTheSourceArn() {
        assumeBuilt(MOVE_TASKS);
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        String source = sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 1)), Map.of());
        deadLetter(source, dlq, 1);

        String handle = sqs.startMessageMoveTask(arn(dlq), null, 1);

        String decoded =
                new String(java.util.Base64.getDecoder().decode(handle), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(decoded).matches("\\{\"taskId\":\"[^\"]+\",\"sourceArn\":\"" + arn(dlq) + "\"}");
        awaitTaskStatus(arn(dlq), "COMPLETED", Duration.ofSeconds(15));
    }

    @Test
    void aMoveTaskNeedsADeadLetterQueueAndARateUpToFiveHundred() {
        String dlq = sqs.createQueue(queueName("dlq"), Map.of(), Map.of());
        sqs.createQueue(queueName("src"), Map.of("RedrivePolicy", redrivePolicy(dlq, 1)), Map.of());
        String plain = sqs.createQueue(queueName("plain"), Map.of(), Map.of());

        // Neither code is documented; InvalidParameterValue is the reading taken (LocalStack records
        // "Source queue must be configured as a Dead Letter Queue." from AWS with that code).
        assertError(() -> sqs.startMessageMoveTask(arn(plain), null, null), INVALID_PARAMETER_VALUE, 400);
        assertError(() -> sqs.startMessageMoveTask(arn(dlq), null, 501), INVALID_PARAMETER_VALUE, 400);
        assertThat(sqs.listMessageMoveTasks(arn(dlq), null)).isEmpty();
    }

    // Helpers

    /** Sends {@code n} messages to {@code source} (maxReceiveCount 1) and receives them twice so they move. */
    protected List<String> deadLetter(String source, String dlq, int n) {
        List<String> ids = IntStream.range(0, n)
                .mapToObj(i ->
                        sqs.sendMessage(source, OutgoingMessage.of("dead " + i)).messageId())
                .toList();
        receiveAll(source, n, ReceiveRequest.upTo(10).visibilityTimeout(0));
        assertThat(sqs.receiveMessage(source, ReceiveRequest.upTo(10))).isEmpty();
        awaitCount(dlq, n, Duration.ofSeconds(5));
        return ids;
    }

    /** A task handle in AWS's shape, for a task that need not exist. */
    static String taskHandle(String taskId, String sourceArn) {
        return java.util.Base64.getEncoder()
                .encodeToString("{\"taskId\":\"%s\",\"sourceArn\":\"%s\"}"
                        .formatted(taskId, sourceArn)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected String arn(String queueUrl) {
        return sqs.getQueueAttributes(queueUrl, List.of("QueueArn")).get("QueueArn");
    }

    protected String redrivePolicy(String deadLetterQueueUrl, int maxReceiveCount) {
        return redrivePolicyFor(arn(deadLetterQueueUrl), maxReceiveCount);
    }

    static String redrivePolicyFor(String deadLetterTargetArn, int maxReceiveCount) {
        // The developer guide's examples give maxReceiveCount as a string ("10"); SQS accepts a number too.
        return "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":\"%d\"}"
                .formatted(deadLetterTargetArn, maxReceiveCount);
    }

    protected String fifoName(String stem) {
        return queueName(stem) + ".fifo";
    }

    protected String newFifoQueue(String stem, Map<String, String> attributes) {
        var all = new LinkedHashMap<>(attributes);
        all.put("FifoQueue", "true");
        return sqs.createQueue(fifoName(stem), all, Map.of());
    }

    static String sha256Hex(String body) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
