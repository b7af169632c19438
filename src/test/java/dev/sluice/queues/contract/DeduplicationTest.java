package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.FifoFixture.CONTENT_BASED;
import static dev.sluice.queues.contract.FifoFixture.FIFO;
import static dev.sluice.queues.contract.FifoFixture.attempt;
import static dev.sluice.queues.contract.FifoFixture.bodies;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * FIFO exactly-once sends (SendMessage API reference, "MessageDeduplicationId"): within 5 minutes of a send, another
 * send with the same deduplication id is accepted, answered with the first message's id and sequence number, and adds
 * nothing, even after the first was deleted and across a restart. ReceiveRequestAttemptId does the same for receives.
 */
@QueuesContract
class DeduplicationTest extends QueuesCase {
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final QueueKey explicit;
    private final QueueKey contentBased;

    DeduplicationTest(Backend backend) {
        super(backend);
        this.explicit = sluice.createQueue("explicit.fifo", FIFO);
        this.contentBased = sluice.createQueue("content.fifo", CONTENT_BASED);
    }

    @Test
    void duplicateIdWithinTheWindowAnswersWithTheFirstMessageAndAddsNothing() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));
        sluice.clock.advance(WINDOW.minusMillis(1));

        SentMessage duplicate = sluice.send(explicit, grouped("different body", "g", "d-1"));

        assertThat(duplicate.messageId()).isEqualTo(first.messageId());
        assertThat(duplicate.sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(bodies(sluice.receive(explicit, 10))).containsExactly("first");
        assertThat(sluice.counts(explicit)).containsExactly(0, 1, 0);
    }

    @Test
    void sameIdIsANewMessageOnceTheWindowIsOver() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));
        sluice.clock.advance(WINDOW);

        SentMessage second = sluice.send(explicit, grouped("second", "g", "d-1"));

        assertThat(second.messageId()).isNotEqualTo(first.messageId());
        assertThat(bodies(sluice.receive(explicit, 10))).containsExactly("first", "second");
    }

    @Test
    void windowStartsAtTheFirstSendAndIsNotExtendedByDuplicates() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));
        sluice.clock.advanceSeconds(200);
        assertThat(sluice.send(explicit, grouped("dup", "g", "d-1")).messageId())
                .isEqualTo(first.messageId());
        sluice.clock.advanceSeconds(100);

        assertThat(sluice.send(explicit, grouped("later", "g", "d-1")).messageId())
                .isNotEqualTo(first.messageId());
    }

    @Test
    void windowHoldsAfterTheMessageIsDeleted() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));
        join(sluice.queues.deleteMessage(explicit, sluice.receiveOne(explicit).receiptHandle()));

        SentMessage duplicate = sluice.send(explicit, grouped("first", "g", "d-1"));

        assertThat(duplicate.messageId()).isEqualTo(first.messageId());
        assertThat(sluice.counts(explicit)).containsExactly(0, 0, 0);
    }

    @Test
    void purgeForgetsTheDeduplicationIds() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));
        join(sluice.queues.purgeQueue(explicit));

        // SQS: PurgeQueue clears the deduplication records; the same id sends a new message (recorded against AWS in
        // LocalStack's test_purge_queue_clears_fifo_deduplication_cache).
        SentMessage again = sluice.send(explicit, grouped("again", "g", "d-1"));

        assertThat(again.messageId()).isNotEqualTo(first.messageId());
        assertThat(bodies(sluice.receive(explicit, 10))).containsExactly("again");
        QueuesFixture after = sluice.restart();
        assertThat(after.send(explicit, grouped("once more", "g", "d-1")).messageId())
                .as("a restart does not bring the purged record back")
                .isEqualTo(again.messageId());
    }

    @Test
    void contentBasedDeduplicationUsesTheSha256OfTheBody() throws Exception {
        SentMessage first = sluice.send(contentBased, grouped("same body", "g"));
        SentMessage duplicate = sluice.send(contentBased, grouped("same body", "g"));
        SentMessage other = sluice.send(contentBased, grouped("other body", "g"));

        assertThat(duplicate.messageId()).isEqualTo(first.messageId());
        assertThat(other.messageId()).isNotEqualTo(first.messageId());
        String sha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest("same body".getBytes(StandardCharsets.UTF_8)));
        assertThat(sluice.receive(contentBased, 10))
                .extracting(r -> r.messageDeduplicationId())
                .first()
                .isEqualTo(sha256);
    }

    @Test
    void contentBasedDeduplicationIgnoresMessageAttributes() {
        NewMessage withAttribute = new NewMessage(
                "same body",
                Map.of("a", QueuesFixture.string("1")),
                Map.of(),
                java.util.Optional.empty(),
                "sender",
                "g",
                null);
        SentMessage first = sluice.send(contentBased, grouped("same body", "g"));

        assertThat(sluice.send(contentBased, withAttribute).messageId()).isEqualTo(first.messageId());
    }

    @Test
    void explicitIdOverridesContentBasedDeduplication() {
        SentMessage first = sluice.send(contentBased, grouped("same body", "g", "d-1"));
        SentMessage otherId = sluice.send(contentBased, grouped("same body", "g", "d-2"));
        SentMessage sameIdOtherBody = sluice.send(contentBased, grouped("other body", "g", "d-1"));

        assertThat(otherId.messageId()).isNotEqualTo(first.messageId());
        assertThat(sameIdOtherBody.messageId()).isEqualTo(first.messageId());
        assertThat(bodies(sluice.receive(contentBased, 10))).containsExactly("same body", "same body");
    }

    @Test
    void noDeduplicationIdAndNoContentBasedDeduplicationIsInvalid() {
        assertThat(errorOf(() -> sluice.queues.send(explicit, grouped("x", "g"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void deduplicationIdOnAStandardQueueIsInvalid() {
        QueueKey standard = sluice.createQueue("jobs");

        assertThat(errorOf(() -> sluice.queues.send(standard, grouped("x", "g", "d-1"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(sluice.counts(standard)).containsExactly(0, 0, 0);
    }

    @Test
    void deduplicationIdMustBe1To128PrintableAsciiCharacters() {
        sluice.send(explicit, grouped("max", "g", "x".repeat(128)));
        sluice.send(explicit, grouped("punctuation", "g", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));

        for (String bad : List.of("", "x".repeat(129), "with space", "ü")) {
            assertThat(errorOf(() -> sluice.queues.send(explicit, grouped("x", "g", bad))))
                    .as("MessageDeduplicationId \"%s\"", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }
    }

    @Test
    void queueScopeDeduplicatesAcrossGroups() {
        SentMessage first = sluice.send(explicit, grouped("a", "group-a", "d-1"));

        assertThat(sluice.send(explicit, grouped("b", "group-b", "d-1")).messageId())
                .isEqualTo(first.messageId());
    }

    @Test
    void messageGroupScopeDeduplicatesWithinAGroupOnly() {
        QueueKey perGroup = sluice.createQueue(
                "per-group.fifo",
                Map.of(
                        "FifoQueue",
                        "true",
                        "DeduplicationScope",
                        "messageGroup",
                        "FifoThroughputLimit",
                        "perMessageGroupId"));
        SentMessage a = sluice.send(perGroup, grouped("a", "group-a", "d-1"));
        SentMessage b = sluice.send(perGroup, grouped("b", "group-b", "d-1"));
        SentMessage aAgain = sluice.send(perGroup, grouped("a again", "group-a", "d-1"));

        assertThat(b.messageId()).isNotEqualTo(a.messageId());
        assertThat(aAgain.messageId()).isEqualTo(a.messageId());
        assertThat(bodies(sluice.receive(perGroup, 10))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void deduplicationScopeChangeAppliesToLaterSends() {
        sluice.send(explicit, grouped("a", "group-a", "d-1"));
        join(sluice.queues.setAttributes(explicit, Map.of("DeduplicationScope", "messageGroup")));

        sluice.send(explicit, grouped("b", "group-b", "d-2"));
        SentMessage bAgain = sluice.send(explicit, grouped("b again", "group-c", "d-2"));

        assertThat(bodies(sluice.receive(explicit, 10))).containsExactlyInAnyOrder("a", "b", "b again");
        assertThat(bAgain.messageId()).isNotNull();
    }

    @Test
    void perMessageGroupIdThroughputNeedsMessageGroupScope() {
        assertThat(errorOf(() -> sluice.queues.createQueue(
                        key("fast.fifo"),
                        Map.of("FifoQueue", "true", "FifoThroughputLimit", "perMessageGroupId"),
                        Map.of())))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        assertThat(errorOf(() ->
                        sluice.queues.setAttributes(explicit, Map.of("FifoThroughputLimit", "perMessageGroupId"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);

        join(sluice.queues.setAttributes(
                explicit, Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId")));
        assertThat(sluice.info(explicit).settings().values())
                .containsEntry("DeduplicationScope", "messageGroup")
                .containsEntry("FifoThroughputLimit", "perMessageGroupId");
        assertThat(errorOf(() -> sluice.queues.setAttributes(explicit, Map.of("DeduplicationScope", "queue"))))
                .as("nor can the scope go back to queue while the limit is per group")
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
    }

    @Test
    void highThroughputAttributesRejectUnknownValues() {
        assertThat(errorOf(() -> sluice.queues.setAttributes(explicit, Map.of("DeduplicationScope", "group"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        assertThat(errorOf(() -> sluice.queues.setAttributes(explicit, Map.of("FifoThroughputLimit", "perGroup"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
        assertThat(errorOf(() -> sluice.queues.setAttributes(explicit, Map.of("ContentBasedDeduplication", "yes"))))
                .isEqualTo(QueueError.INVALID_ATTRIBUTE_VALUE);
    }

    @Test
    void fifoOnlyAttributesOnAStandardQueueAreInvalidNames() {
        QueueKey standard = sluice.createQueue("jobs");
        for (var attribute : List.of(
                Map.of("ContentBasedDeduplication", "true"),
                Map.of("DeduplicationScope", "queue"),
                Map.of("FifoThroughputLimit", "perQueue"))) {
            assertThat(errorOf(() -> sluice.queues.createQueue(key("standard"), attribute, Map.of())))
                    .as("CreateQueue %s", attribute)
                    .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
            assertThat(errorOf(() -> sluice.queues.setAttributes(standard, attribute)))
                    .as("SetQueueAttributes %s", attribute)
                    .isEqualTo(QueueError.INVALID_ATTRIBUTE_NAME);
        }
    }

    @Test
    void contentBasedDeduplicationCanBeTurnedOnLater() {
        join(sluice.queues.setAttributes(explicit, Map.of("ContentBasedDeduplication", "true")));

        SentMessage first = sluice.send(explicit, grouped("body", "g"));

        assertThat(sluice.send(explicit, grouped("body", "g")).messageId()).isEqualTo(first.messageId());
    }

    // ---- across restarts

    @Test
    void windowSurvivesARestart() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));
        join(sluice.queues.deleteMessage(explicit, sluice.receiveOne(explicit).receiptHandle()));
        sluice.clock.advanceSeconds(100);

        QueuesFixture after = sluice.restart();

        SentMessage duplicate = after.send(explicit, grouped("again", "g", "d-1"));
        assertThat(duplicate.messageId()).isEqualTo(first.messageId());
        assertThat(duplicate.sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(after.counts(explicit)).containsExactly(0, 0, 0);
        after.clock.advanceSeconds(200);
        assertThat(after.send(explicit, grouped("later", "g", "d-1")).messageId())
                .as("the window still ends 5 minutes after the first send")
                .isNotEqualTo(first.messageId());
    }

    @Test
    void restartAfterTheWindowForgetsTheIds() {
        SentMessage first = sluice.send(explicit, grouped("first", "g", "d-1"));

        QueuesFixture after = sluice.restartAt(sluice.clock.instant().plus(WINDOW));

        assertThat(after.send(explicit, grouped("again", "g", "d-1")).messageId())
                .isNotEqualTo(first.messageId());
    }

    // ---- ReceiveRequestAttemptId

    @Test
    void retriedReceiveWithTheSameAttemptIdReturnsTheSameMessagesAndHandles() {
        Backends.assumeBuilt(backend, Backends.RECEIVE_ATTEMPT_IDS);
        sluice.send(explicit, grouped("a1", "a", "1"));
        sluice.send(explicit, grouped("a2", "a", "2"));
        List<ReceivedMessage> first = join(sluice.queues.receive(explicit, attempt(10, "attempt-1")));
        sluice.clock.advanceSeconds(10);

        List<ReceivedMessage> retried = join(sluice.queues.receive(explicit, attempt(10, "attempt-1")));

        assertThat(bodies(retried)).containsExactly("a1", "a2");
        assertThat(retried)
                .extracting(ReceivedMessage::receiptHandle)
                .containsExactlyElementsOf(
                        first.stream().map(ReceivedMessage::receiptHandle).toList());
        assertThat(retried).extracting(ReceivedMessage::receiveCount).containsOnly(1);
    }

    @Test
    void retriedReceiveResetsTheVisibilityTimeout() {
        Backends.assumeBuilt(backend, Backends.RECEIVE_ATTEMPT_IDS);
        sluice.send(explicit, grouped("a1", "a", "1"));
        ReceiveOptions thirtySeconds =
                new ReceiveOptions(1, Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ZERO), "attempt-1");
        String handle =
                join(sluice.queues.receive(explicit, thirtySeconds)).getFirst().receiptHandle();
        sluice.clock.advanceSeconds(20);

        assertThat(join(sluice.queues.receive(explicit, attempt(1, "attempt-1"))))
                .extracting(ReceivedMessage::receiptHandle)
                .containsExactly(handle);

        sluice.clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(sluice.counts(explicit)).as("hidden for 30 s from the retry").containsExactly(0, 1, 0);
        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(sluice.counts(explicit)).containsExactly(1, 0, 0);
        QueuesFixture after = sluice.restartAt(sluice.clock.instant().minusSeconds(1));
        assertThat(after.counts(explicit)).as("the reset was stored").containsExactly(0, 1, 0);
    }

    @Test
    void retriedReceiveKeepsALongerVisibilitySetSince() {
        Backends.assumeBuilt(backend, Backends.RECEIVE_ATTEMPT_IDS);
        sluice.send(explicit, grouped("a1", "a", "1"));
        ReceiveOptions thirtySeconds =
                new ReceiveOptions(1, Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ZERO), "attempt-1");
        String handle =
                join(sluice.queues.receive(explicit, thirtySeconds)).getFirst().receiptHandle();
        join(sluice.queues.changeVisibility(explicit, handle, Duration.ofMinutes(10)));

        assertThat(join(sluice.queues.receive(explicit, attempt(1, "attempt-1"))))
                .hasSize(1);
        sluice.clock.advance(Duration.ofMinutes(10).minusMillis(1));

        assertThat(sluice.counts(explicit)).containsExactly(0, 1, 0);
    }

    @Test
    void receiveWithAnotherAttemptIdDoesNotRepeat() {
        sluice.send(explicit, grouped("a1", "a", "1"));
        sluice.send(explicit, grouped("b1", "b", "2"));
        assertThat(bodies(join(sluice.queues.receive(explicit, attempt(1, "attempt-1")))))
                .containsExactly("a1");

        assertThat(bodies(join(sluice.queues.receive(explicit, attempt(1, "attempt-2")))))
                .containsExactly("b1");
        assertThat(join(sluice.queues.receive(explicit, attempt(1, "attempt-3"))))
                .isEmpty();
    }

    @Test
    void attemptIdIsForgottenAfterFiveMinutes() {
        Backends.assumeBuilt(backend, Backends.RECEIVE_ATTEMPT_IDS);
        sluice.send(explicit, grouped("a1", "a", "1"));
        List<ReceivedMessage> first = join(sluice.queues.receive(
                explicit,
                new ReceiveOptions(
                        1,
                        java.util.Optional.of(Duration.ofMinutes(10)),
                        java.util.Optional.of(Duration.ZERO),
                        "attempt-1")));
        sluice.clock.advance(WINDOW.minusMillis(1));
        assertThat(join(sluice.queues.receive(explicit, attempt(1, "attempt-1"))))
                .extracting(ReceivedMessage::receiptHandle)
                .containsExactly(first.getFirst().receiptHandle());
        sluice.clock.advance(Duration.ofMillis(1));

        assertThat(join(sluice.queues.receive(explicit, attempt(1, "attempt-1"))))
                .as("the message is still in flight, and the attempt is over")
                .isEmpty();
    }

    @Test
    void attemptIdDoesNotRepeatMessagesWhoseVisibilityTimeoutRanOut() {
        sluice.send(explicit, grouped("a1", "a", "1"));
        String firstHandle = join(sluice.queues.receive(
                        explicit,
                        new ReceiveOptions(
                                1,
                                java.util.Optional.of(Duration.ofSeconds(30)),
                                java.util.Optional.of(Duration.ZERO),
                                "attempt-1")))
                .getFirst()
                .receiptHandle();
        sluice.clock.advanceSeconds(30);

        List<ReceivedMessage> retried = join(sluice.queues.receive(explicit, attempt(1, "attempt-1")));

        assertThat(bodies(retried)).as("received anew").containsExactly("a1");
        assertThat(retried.getFirst().receiptHandle()).isNotEqualTo(firstHandle);
        assertThat(retried.getFirst().receiveCount()).isEqualTo(2);
    }

    @Test
    void attemptIdDoesNotRepeatDeletedMessages() {
        sluice.send(explicit, grouped("a1", "a", "1"));
        sluice.send(explicit, grouped("b1", "b", "2"));
        String handle = join(sluice.queues.receive(explicit, attempt(1, "attempt-1")))
                .getFirst()
                .receiptHandle();
        join(sluice.queues.deleteMessage(explicit, handle));

        assertThat(bodies(join(sluice.queues.receive(explicit, attempt(1, "attempt-1")))))
                .containsExactly("b1");
    }
}
