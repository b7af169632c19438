package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DeleteMessage and its receipt handles: which handles delete, which are ignored, which are invalid. */
@QueuesContract
class DeleteMessageTest extends QueuesCase {
    private final QueueKey queue;

    DeleteMessageTest(Backend backend) {
        super(backend);
        this.queue = sluice.createQueue("orders");
    }

    @Test
    void deleteRemovesTheMessage() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();

        join(sluice.queues.deleteMessage(queue, handle));

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
        sluice.clock.advanceSeconds(30);
        assertThat(sluice.receive(queue, 10)).isEmpty();
    }

    @Test
    void deleteWorksAfterTheVisibilityTimeoutWhileNobodyReceivedAgain() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();
        sluice.clock.advanceSeconds(31);

        join(sluice.queues.deleteMessage(queue, handle));

        assertThat(sluice.receive(queue, 10)).isEmpty();
    }

    @Test
    void staleReceiptHandleDoesNotDelete() {
        sluice.send(queue, "hello");
        String stale = sluice.receiveOne(queue).receiptHandle();
        sluice.clock.advanceSeconds(30);
        ReceivedMessage current = sluice.receiveOne(queue);

        // SQS: an old handle "succeeds" but need not delete; Sluice never does, so the new holder keeps the message.
        join(sluice.queues.deleteMessage(queue, stale));

        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
        join(sluice.queues.changeVisibility(queue, current.receiptHandle(), Duration.ZERO));
        assertThat(sluice.receiveOne(queue).body()).isEqualTo("hello");
    }

    @Test
    void deleteTwiceSucceeds() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();

        join(sluice.queues.deleteMessage(queue, handle));
        join(sluice.queues.deleteMessage(queue, handle));

        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void malformedReceiptHandleIsInvalid() {
        sluice.send(queue, "hello");
        sluice.receiveOne(queue);
        String notFourFields =
                Base64.getUrlEncoder().withoutPadding().encodeToString("a b c".getBytes(StandardCharsets.UTF_8));
        String badNumber =
                Base64.getUrlEncoder().withoutPadding().encodeToString("q m x 1".getBytes(StandardCharsets.UTF_8));

        for (String handle : List.of("", "not a handle", "%%%", notFourFields, badNumber)) {
            assertThat(errorOf(() -> sluice.queues.deleteMessage(queue, handle)))
                    .as(handle)
                    .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        }
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void receiptHandleOfOtherQueueIsInvalid() {
        QueueKey other = sluice.createQueue("other");
        sluice.send(other, "hello");
        String handle = sluice.receiveOne(other).receiptHandle();

        assertThat(errorOf(() -> sluice.queues.deleteMessage(queue, handle)))
                .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        assertThat(errorOf(() -> sluice.queues.changeVisibility(queue, handle, Duration.ZERO)))
                .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        assertThat(sluice.counts(other)).containsExactly(0, 1, 0);
    }

    @Test
    void receiptHandleOfDeletedAndRecreatedQueueIsInvalid() {
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();
        join(sluice.queues.deleteQueue(queue));
        sluice.createQueue("orders");

        assertThat(errorOf(() -> sluice.queues.deleteMessage(queue, handle)))
                .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
    }

    @Test
    void deleteOnMissingQueueIsQueueNotFound() {
        assertThat(errorOf(() -> sluice.queues.deleteMessage(QueuesFixture.key("missing"), "x")))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }

    @Test
    void deleteBatchReportsEachEntry() {
        sluice.send(queue, "one");
        sluice.send(queue, "two");
        sluice.send(queue, "three");
        List<ReceivedMessage> received = sluice.receive(queue, 3);

        List<Outcome<Void>> outcomes = join(sluice.queues.deleteMessages(
                queue,
                List.of(
                        received.get(0).receiptHandle(),
                        "garbage",
                        received.get(2).receiptHandle())));

        assertThat(outcomes).extracting(Outcome::succeeded).containsExactly(true, false, true);
        assertThat(outcomes.get(1).failure().error()).isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        assertThat(sluice.counts(queue)).containsExactly(0, 1, 0);
        sluice.clock.advanceSeconds(30);
        assertThat(sluice.receive(queue, 10)).extracting(r -> r.body()).containsExactly("two");
    }

    @Test
    void deleteOfOneQueueLeavesOtherQueuesAlone() {
        QueueKey other = sluice.createQueue("other", Map.of());
        sluice.send(other, "keep");
        sluice.send(queue, "drop");
        join(sluice.queues.deleteMessage(queue, sluice.receiveOne(queue).receiptHandle()));

        assertThat(sluice.counts(other)).containsExactly(1, 0, 0);
    }
}
