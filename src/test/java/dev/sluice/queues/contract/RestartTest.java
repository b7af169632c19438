package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static dev.sluice.queues.contract.QueuesFixture.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A second engine on the same store sees what a restart would load: everything acknowledged, nothing deleted. The ids
 * of the second engine start where the first one's ended, as random ids would never collide.
 */
@QueuesContract
class RestartTest extends QueuesCase {
    private static final Duration HOUR = Duration.ofHours(1);

    RestartTest(Backend backend) {
        super(backend);
    }

    @Test
    void queueAttributesTagsAndTimestampsSurvive() {
        QueueKey queue = QueuesFixture.key("orders");
        join(sluice.queues.createQueue(queue, Map.of("VisibilityTimeout", "45"), Map.of("team", "core")));
        sluice.clock.advanceSeconds(10);
        join(sluice.queues.setAttributes(queue, Map.of("DelaySeconds", "7", "Policy", "{\"Statement\":[]}")));
        join(sluice.queues.tagQueue(queue, Map.of("env", "prod")));
        join(sluice.queues.untagQueue(queue, List.of("team")));
        QueueInfo expected = sluice.info(queue);

        QueuesFixture after = sluice.restart();

        QueueInfo info = after.info(queue);
        assertThat(info.settings()).isEqualTo(expected.settings());
        assertThat(info.settings().values())
                .containsEntry("VisibilityTimeout", "45")
                .containsEntry("DelaySeconds", "7")
                .containsEntry("Policy", "{\"Statement\":[]}");
        assertThat(info.tags()).containsExactlyEntriesOf(Map.of("env", "prod"));
        assertThat(info.created()).isEqualTo(expected.created());
        assertThat(info.lastModified()).isEqualTo(expected.lastModified());
        assertThat(join(after.queues.queueNames(QueuesFixture.ACCOUNT, null))).containsExactly("orders");
    }

    @Test
    void messagesKeepTheirStateAcrossRestart() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, message("received twice", Map.of("a", string("1"))));
        sluice.send(queue, "deleted");
        sluice.send(queue, "visible");
        sluice.send(queue, message("delayed", Duration.ofSeconds(100)));
        ReceivedMessage first = sluice.receive(queue, 1, Duration.ZERO).getFirst();
        List<ReceivedMessage> held = sluice.receive(queue, 2, Duration.ofSeconds(60));
        assertThat(held).extracting(r -> r.body()).containsExactly("received twice", "deleted");
        join(sluice.queues.deleteMessage(queue, held.get(1).receiptHandle()));
        sluice.clock.advanceSeconds(20);
        assertThat(sluice.counts(queue)).containsExactly(1, 1, 1);

        QueuesFixture after = sluice.restart();

        assertThat(after.counts(queue)).as("visible, in flight, delayed").containsExactly(1, 1, 1);
        assertThat(after.receive(queue, 10, HOUR)).extracting(r -> r.body()).containsExactly("visible");
        after.clock.advance(Duration.ofSeconds(40).minusMillis(1));
        assertThat(after.receive(queue, 10, HOUR))
                .as("in flight until 60 s after its receive")
                .isEmpty();
        after.clock.advance(Duration.ofMillis(1));
        ReceivedMessage again = after.receive(queue, 10, HOUR).getFirst();
        assertThat(again.body()).isEqualTo("received twice");
        assertThat(again.messageAttributes()).isEqualTo(Map.of("a", string("1")));
        assertThat(again.receiveCount()).isEqualTo(3);
        assertThat(again.firstReceiveTimestamp()).isEqualTo(first.firstReceiveTimestamp());
        after.clock.advanceSeconds(40);
        assertThat(after.receive(queue, 10, HOUR)).extracting(r -> r.body()).containsExactly("delayed");
        assertThat(after.counts(queue)).as("the deleted message stays deleted").containsExactly(0, 3, 0);
    }

    @Test
    void receiptHandleFromBeforeRestartStillDeletes() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();

        QueuesFixture after = sluice.restart();

        join(after.queues.deleteMessage(queue, handle));
        assertThat(after.counts(queue)).containsExactly(0, 0, 0);
        after.clock.advanceSeconds(30);
        assertThat(after.receive(queue, 10)).isEmpty();
        assertThat(after.restart().counts(queue))
                .as("and the delete was stored")
                .containsExactly(0, 0, 0);
    }

    @Test
    void receiptHandleFromBeforeRestartStillChangesVisibility() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "hello");
        String handle = sluice.receiveOne(queue).receiptHandle();

        QueuesFixture after = sluice.restart();

        join(after.queues.changeVisibility(queue, handle, Duration.ZERO));
        assertThat(after.receiveOne(queue).receiveCount()).isEqualTo(2);
    }

    @Test
    void staleReceiptHandleStaysStaleAcrossRestart() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "hello");
        String stale = sluice.receive(queue, 1, Duration.ZERO).getFirst().receiptHandle();
        sluice.receiveOne(queue);

        QueuesFixture after = sluice.restart();

        join(after.queues.deleteMessage(queue, stale));
        assertThat(after.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void changedVisibilityIsStored() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "hello");
        join(sluice.queues.changeVisibility(queue, sluice.receiveOne(queue).receiptHandle(), Duration.ofSeconds(300)));

        QueuesFixture after = sluice.restart();

        after.clock.advance(Duration.ofSeconds(300).minusMillis(1));
        assertThat(after.receive(queue, 1)).isEmpty();
        after.clock.advance(Duration.ofMillis(1));
        assertThat(after.receive(queue, 1)).hasSize(1);
    }

    @Test
    void messageHandedToLongPollByVisibilityChangeIsStoredWithItsNewReceive() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "hello");
        String firstHandle = sluice.receiveOne(queue).receiptHandle();
        var poll = sluice.longPoll(queue, 1, Duration.ofSeconds(20));

        join(sluice.queues.changeVisibility(queue, firstHandle, Duration.ZERO));
        String secondHandle = join(poll).getFirst().receiptHandle();

        QueuesFixture after = sluice.restart();
        assertThat(after.counts(queue)).as("held by the long poll").containsExactly(0, 1, 0);
        join(after.queues.deleteMessage(queue, secondHandle));
        assertThat(after.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void expiredAndPurgedMessagesStayGone() {
        QueueKey shortLived = sluice.createQueue("short-lived", Map.of("MessageRetentionPeriod", "60"));
        QueueKey purged = sluice.createQueue("purged");
        sluice.send(shortLived, "old");
        sluice.send(purged, "purged");
        join(sluice.queues.purgeQueue(purged));
        sluice.clock.advanceSeconds(60);
        assertThat(sluice.counts(shortLived)).containsExactly(0, 0, 0);

        QueuesFixture after = sluice.restart();

        assertThat(after.counts(shortLived)).containsExactly(0, 0, 0);
        assertThat(after.counts(purged)).containsExactly(0, 0, 0);
    }

    @Test
    void deletedQueueStaysDeletedAndItsNameCanBeReused() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "from the old queue");
        join(sluice.queues.deleteQueue(queue));
        sluice.createQueue("orders");
        sluice.send(queue, "from the new queue");

        QueuesFixture after = sluice.restart();

        assertThat(after.receive(queue, 10)).extracting(r -> r.body()).containsExactly("from the new queue");
    }

    @Test
    void sequenceKeepsOrderAcrossRestart() {
        QueueKey queue = sluice.createQueue("orders");
        sluice.send(queue, "before restart");

        QueuesFixture after = sluice.restart();
        after.send(queue, "after restart");

        assertThat(after.receive(queue, 10))
                .extracting(r -> r.body())
                .containsExactly("before restart", "after restart");
    }

    @Test
    void unknownQueueAfterRestartIsStillNotFound() {
        QueuesFixture after = sluice.restart();

        assertThat(errorOf(() -> after.queues.send(QueuesFixture.key("missing"), message("x"))))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }
}
