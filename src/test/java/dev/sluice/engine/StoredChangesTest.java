package dev.sluice.engine;

import static dev.sluice.queues.contract.FifoFixture.FIFO;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static dev.sluice.queues.contract.QueuesFixture.arn;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.redrive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.QueuesFixture;
import dev.sluice.queues.rules.MoveTaskHandle;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMoveTask;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the embedded engine hands its store: expiries, purges and dead-letter moves are stored, deduplication records
 * leave the store with their window, a FIFO window survives a MapDB store's close and reopen, and a move task stored
 * by an earlier version resumes. The behaviour a user sees across restarts is the contract's ({@code RestartTest});
 * these are the store's side of it.
 */
class StoredChangesTest {
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final StoreRig rig = StoreRig.inMemory();
    private final Store store = rig.store();
    private final QueuesFixture sluice = new QueuesFixture(Backends.embedded(rig));
    private final QueueKey explicit = sluice.createQueue("explicit.fifo", FIFO);

    @AfterEach
    void closeStore() {
        rig.close();
    }

    @Test
    void expiriesAndPurgesAreStored() {
        QueueKey described = sluice.createQueue("described", Map.of("MessageRetentionPeriod", "60"));
        QueueKey polled = sluice.createQueue("polled", Map.of("MessageRetentionPeriod", "60"));
        QueueKey purged = sluice.createQueue("purged");
        sluice.send(described, "expires");
        sluice.send(polled, "expires in flight");
        sluice.send(purged, "purged");
        sluice.receive(polled, 1, Duration.ofSeconds(65));
        join(sluice.queues.purgeQueue(purged));
        sluice.clock.advanceSeconds(50);
        var poll = sluice.longPoll(polled, 10, Duration.ofSeconds(20));

        sluice.clock.advanceSeconds(15);

        assertThat(poll)
                .as("the message expired at 60 s, before it became visible at 65 s")
                .isNotDone();
        assertThat(store.load().messages())
                .as("the long poll's expiry and the purge are stored before anything asks for the counts")
                .extracting(entry -> entry.message().body())
                .containsExactly("expires");
        assertThat(sluice.counts(described)).containsExactly(0, 0, 0);
        assertThat(store.load().messages())
                .as("and so is the expiry the counts found")
                .isEmpty();
    }

    @Test
    void aDeadLetterMoveLeavesOneStoredCopyInTheDeadLetterQueue() {
        QueueKey dlq = sluice.createQueue("dlq");
        QueueKey source = deadLetterOne(dlq);

        assertThat(store.load().messages())
                .singleElement()
                .satisfies(entry ->
                        assertThat(entry.message().deadLetterSourceQueue()).isEqualTo(source.path()));
    }

    /** A queue that dead-letters into {@code dlq} after one receive, whose one message has moved there. */
    private QueueKey deadLetterOne(QueueKey dlq) {
        QueueKey source = sluice.createQueue("orders", redrive(dlq, 1));
        sluice.send(source, "poison");
        sluice.receive(source, 10, Duration.ZERO);
        assertThat(sluice.receive(source, 10))
                .as("moved to the dead-letter queue")
                .isEmpty();
        return source;
    }

    @Test
    void aPurgedDeduplicationRecordLeavesTheStore() {
        sluice.send(explicit, grouped("first", "g", "d-1"));
        join(sluice.queues.purgeQueue(explicit));
        SentMessage again = sluice.send(explicit, grouped("again", "g", "d-1"));

        assertThat(store.load().deduplications()).extracting(d -> d.messageId()).containsExactly(again.messageId());
    }

    @Test
    void expiredDeduplicationRecordsAreForgottenByTheStore() {
        sluice.send(explicit, grouped("first", "g", "d-1"));
        sluice.send(explicit, grouped("second", "g", "d-2"));
        assertThat(store.load().deduplications()).hasSize(2);
        sluice.clock.advance(WINDOW);

        sluice.send(explicit, grouped("third", "g", "d-3"));

        assertThat(store.load().deduplications()).extracting(d -> d.key()).containsExactly("d-3");
    }

    @Test
    void windowSurvivesClosingAndReopeningAMapDbStore() {
        try (QueuesFixture before = new QueuesFixture(Backends.embedded(StoreRig.mapDb()))) {
            QueueKey orders = before.createQueue("orders.fifo", FIFO);
            QueueKey perGroup = before.createQueue(
                    "per-group.fifo", Map.of("FifoQueue", "true", "DeduplicationScope", "messageGroup"));
            SentMessage first = before.send(orders, grouped("first", "g", "d-1"));
            SentMessage perGroupFirst = before.send(perGroup, grouped("first", "g", "d-1"));
            join(before.queues.deleteMessage(orders, before.receiveOne(orders).receiptHandle()));

            QueuesFixture after = before.restartAt(before.clock.instant().plusSeconds(60));
            SentMessage duplicate = after.send(orders, grouped("again", "g", "d-1"));
            SentMessage perGroupDuplicate = after.send(perGroup, grouped("again", "g", "d-1"));
            SentMessage perGroupOtherGroup = after.send(perGroup, grouped("other", "h", "d-1"));

            assertThat(duplicate.messageId()).isEqualTo(first.messageId());
            assertThat(duplicate.sequenceNumber()).isEqualTo(first.sequenceNumber());
            assertThat(perGroupDuplicate.messageId()).isEqualTo(perGroupFirst.messageId());
            assertThat(perGroupOtherGroup.messageId()).isNotEqualTo(perGroupFirst.messageId());
            assertThat(after.counts(orders)).containsExactly(0, 0, 0);
        }
    }

    @Test
    void aTaskStoredByAnEarlierVersionKeepsItsHandleAndCanBeCancelled() {
        QueueKey dlq = sluice.createQueue("dlq");
        deadLetterOne(dlq);
        // Sluice before AWS's handle shape stored tasks under base64url of "<taskId> <sourceArn>".
        String earlier = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("task-1 " + arn(dlq)).getBytes(StandardCharsets.UTF_8));
        join(store.commit(new StoreChange.PutMoveTask(new StoredMoveTask(
                earlier,
                QueuesFixture.ACCOUNT + "/dlq",
                null,
                arn(dlq),
                null,
                1,
                "RUNNING",
                0,
                1,
                null,
                sluice.clock.millis()))));

        QueuesFixture after = sluice.restart();

        assertThat(join(after.queues.listMessageMoveTasks(dlq, 1)).getFirst().taskHandle())
                .isEqualTo(earlier);
        assertThat(MoveTaskHandle.parse(earlier)).contains(new MoveTaskHandle("task-1", arn(dlq)));
        join(after.queues.cancelMessageMoveTask(earlier));
        assertThat(join(after.queues.listMessageMoveTasks(dlq, 1)).getFirst().status())
                .isEqualTo(MoveTaskStatus.CANCELLED);
    }
}
