package dev.sluice.engine;

import static dev.sluice.engine.EngineFixture.errorOf;
import static dev.sluice.engine.EngineFixture.join;
import static dev.sluice.engine.EngineFixture.message;
import static dev.sluice.engine.EngineFixture.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A second engine on the same store sees what a restart would load: everything acknowledged, nothing deleted. The ids
 * of the second engine start where the first one's ended, as random ids would never collide.
 */
class RestartTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final StoreRig rig = rig();
    private final Store store = rig.store();

    /** The store these tests run on; a subclass runs them all on another. */
    protected StoreRig rig() {
        return StoreRig.inMemory();
    }

    @AfterEach
    void closeStore() {
        rig.close();
    }

    private final EngineFixture before = new EngineFixture(QueuesBackend.embedded(rig));

    @Test
    void queueAttributesTagsAndTimestampsSurvive() {
        QueueKey queue = EngineFixture.key("orders");
        join(before.queues.createQueue(queue, Map.of("VisibilityTimeout", "45"), Map.of("team", "core")));
        before.clock.advanceSeconds(10);
        join(before.queues.setAttributes(queue, Map.of("DelaySeconds", "7", "Policy", "{\"Statement\":[]}")));
        join(before.queues.tagQueue(queue, Map.of("env", "prod")));
        join(before.queues.untagQueue(queue, List.of("team")));
        QueueInfo expected = before.info(queue);

        EngineFixture after = before.restart();

        QueueInfo info = after.info(queue);
        assertThat(info.settings()).isEqualTo(expected.settings());
        assertThat(info.settings().values())
                .containsEntry("VisibilityTimeout", "45")
                .containsEntry("DelaySeconds", "7")
                .containsEntry("Policy", "{\"Statement\":[]}");
        assertThat(info.tags()).containsExactlyEntriesOf(Map.of("env", "prod"));
        assertThat(info.created()).isEqualTo(expected.created());
        assertThat(info.lastModified()).isEqualTo(expected.lastModified());
        assertThat(join(after.queues.queueNames("us-east-1", EngineFixture.ACCOUNT, null)))
                .containsExactly("orders");
    }

    @Test
    void messagesKeepTheirStateAcrossRestart() {
        QueueKey queue = before.createQueue("orders");
        before.send(queue, message("received twice", Map.of("a", string("1"))));
        before.send(queue, "deleted");
        before.send(queue, "visible");
        before.send(queue, message("delayed", Duration.ofSeconds(100)));
        ReceivedMessage first = before.receive(queue, 1, Duration.ZERO).getFirst();
        List<ReceivedMessage> held = before.receive(queue, 2, Duration.ofSeconds(60));
        assertThat(held).extracting(r -> r.body()).containsExactly("received twice", "deleted");
        join(before.queues.deleteMessage(queue, held.get(1).receiptHandle()));
        before.clock.advanceSeconds(20);
        assertThat(before.counts(queue)).containsExactly(1, 1, 1);

        EngineFixture after = before.restart();

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
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "hello");
        String handle = before.receiveOne(queue).receiptHandle();

        EngineFixture after = before.restart();

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
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "hello");
        String handle = before.receiveOne(queue).receiptHandle();

        EngineFixture after = before.restart();

        join(after.queues.changeVisibility(queue, handle, Duration.ZERO));
        assertThat(after.receiveOne(queue).receiveCount()).isEqualTo(2);
    }

    @Test
    void staleReceiptHandleStaysStaleAcrossRestart() {
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "hello");
        String stale = before.receive(queue, 1, Duration.ZERO).getFirst().receiptHandle();
        before.receiveOne(queue);

        EngineFixture after = before.restart();

        join(after.queues.deleteMessage(queue, stale));
        assertThat(after.counts(queue)).containsExactly(0, 1, 0);
    }

    @Test
    void changedVisibilityIsStored() {
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "hello");
        join(before.queues.changeVisibility(queue, before.receiveOne(queue).receiptHandle(), Duration.ofSeconds(300)));

        EngineFixture after = before.restart();

        after.clock.advance(Duration.ofSeconds(300).minusMillis(1));
        assertThat(after.receive(queue, 1)).isEmpty();
        after.clock.advance(Duration.ofMillis(1));
        assertThat(after.receive(queue, 1)).hasSize(1);
    }

    @Test
    void messageHandedToLongPollByVisibilityChangeIsStoredWithItsNewReceive() {
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "hello");
        String firstHandle = before.receiveOne(queue).receiptHandle();
        var poll = before.longPoll(queue, 1, Duration.ofSeconds(20));

        join(before.queues.changeVisibility(queue, firstHandle, Duration.ZERO));
        String secondHandle = join(poll).getFirst().receiptHandle();

        EngineFixture after = before.restart();
        assertThat(after.counts(queue)).as("held by the long poll").containsExactly(0, 1, 0);
        join(after.queues.deleteMessage(queue, secondHandle));
        assertThat(after.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void expiredAndPurgedMessagesStayGone() {
        QueueKey shortLived = before.createQueue("short-lived", Map.of("MessageRetentionPeriod", "60"));
        QueueKey purged = before.createQueue("purged");
        before.send(shortLived, "old");
        before.send(purged, "purged");
        join(before.queues.purgeQueue(purged));
        before.clock.advanceSeconds(60);
        assertThat(before.counts(shortLived)).containsExactly(0, 0, 0);

        assertThat(store.load().messages())
                .as("the expiry and the purge were stored")
                .isEmpty();
        EngineFixture after = before.restart();

        assertThat(after.counts(shortLived)).containsExactly(0, 0, 0);
        assertThat(after.counts(purged)).containsExactly(0, 0, 0);
    }

    @Test
    void deletedQueueStaysDeletedAndItsNameCanBeReused() {
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "from the old queue");
        join(before.queues.deleteQueue(queue));
        before.createQueue("orders");
        before.send(queue, "from the new queue");

        EngineFixture after = before.restart();

        assertThat(after.receive(queue, 10)).extracting(r -> r.body()).containsExactly("from the new queue");
    }

    @Test
    void sequenceKeepsOrderAcrossRestart() {
        QueueKey queue = before.createQueue("orders");
        before.send(queue, "before restart");

        EngineFixture after = before.restart();
        after.send(queue, "after restart");

        assertThat(after.receive(queue, 10))
                .extracting(r -> r.body())
                .containsExactly("before restart", "after restart");
    }

    @Test
    void unknownQueueAfterRestartIsStillNotFound() {
        EngineFixture after = before.restart();

        assertThat(errorOf(() -> after.queues.send(EngineFixture.key("missing"), message("x"))))
                .isEqualTo(QueueError.QUEUE_NOT_FOUND);
    }
}
