package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.CountingIds;
import dev.sluice.queues.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global memory budget ({@code sluice.memory.max-index}): sends are refused once the queued messages' estimated
 * state reaches it, whatever queue they go to, and accepted again as soon as messages leave by any way (delete,
 * purge, queue deletion). On the journal, so bodies are not counted and a restart charges what it loads.
 */
class MemoryBudgetTest {
    /** About twenty messages' worth. */
    private static final long BUDGET = 20L * MemoryBudget.MESSAGE_BYTES;

    private final StoreRig rig = StoreRig.journal();
    private final FakeClock clock = new FakeClock();
    private QueueEngine engine = open();

    private QueueEngine open() {
        return new QueueEngine(rig.store(), clock, clock, new CountingIds(), Strictness.LENIENT, BUDGET);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private QueueKey createQueue(String name) {
        QueueKey queue = key(name);
        join(engine.createQueue(queue, Map.of(), Map.of(), AccountLimits.NO_QUEUE_LIMIT));
        return queue;
    }

    /** Sends batches of two until one is refused; returns how many messages were accepted. */
    private int fill(QueueKey queue) {
        List<NewMessage> batch = List.of(message("a"), message("b"));
        for (int accepted = 0; accepted < 1000; accepted += batch.size()) {
            try {
                join(engine.sendBatch(queue, batch, AccountLimits.NO_MESSAGE_LIMIT));
            } catch (QueueException | CompletionException refused) {
                assertThat(errorOf(() -> engine.sendBatch(queue, batch, AccountLimits.NO_MESSAGE_LIMIT)))
                        .isEqualTo(QueueError.MEMORY_FULL);
                return accepted;
            }
        }
        throw new AssertionError("never refused");
    }

    private List<ReceivedMessage> receive(QueueKey queue, int max) {
        return join(engine.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.of(Duration.ZERO))));
    }

    @Test
    void sendsAreRefusedAtTheBudgetAcrossQueuesAndAcceptedAgainOnceMessagesAreDeleted() {
        QueueKey a = createQueue("a");
        QueueKey b = createQueue("b");
        int accepted = fill(a);
        assertThat(accepted).as("the budget holds about 20 messages").isBetween(18, 22);
        assertThat(errorOf(() -> engine.send(b, message("c"), AccountLimits.NO_MESSAGE_LIMIT)))
                .as("the budget is the server's, not the queue's")
                .isEqualTo(QueueError.MEMORY_FULL);

        List<String> handles =
                receive(a, 10).stream().map(ReceivedMessage::receiptHandle).toList();
        assertThat(errorOf(() -> engine.send(b, message("c"), AccountLimits.NO_MESSAGE_LIMIT)))
                .as("a received message still takes its place")
                .isEqualTo(QueueError.MEMORY_FULL);
        join(engine.deleteMessages(a, handles));
        assertThat(fill(b)).as("ten deleted make room for about ten").isBetween(8, 12);
    }

    @Test
    void purgeAndDeleteQueueGiveTheirMessagesMemoryBack() {
        QueueKey a = createQueue("a");
        QueueKey b = createQueue("b");
        fill(a);
        join(engine.purgeQueue(a));
        int afterPurge = fill(b);
        assertThat(afterPurge).isBetween(18, 22);
        join(engine.deleteQueue(b));
        assertThat(fill(a)).isEqualTo(afterPurge);
    }

    @Test
    void aRestartChargesWhatItLoadsSoTheBudgetStillHolds() {
        QueueKey a = createQueue("a");
        int accepted = fill(a);
        rig.restart();
        engine = open();
        assertThat(errorOf(() -> engine.send(a, message("c"), AccountLimits.NO_MESSAGE_LIMIT)))
                .isEqualTo(QueueError.MEMORY_FULL);
        List<String> ids = new ArrayList<>();
        for (List<ReceivedMessage> got = receive(a, 10); !got.isEmpty(); got = receive(a, 10)) {
            got.forEach(message -> ids.add(message.messageId()));
            join(engine.deleteMessages(
                    a, got.stream().map(ReceivedMessage::receiptHandle).toList()));
        }
        assertThat(ids).as("every accepted message came back").hasSize(accepted).doesNotHaveDuplicates();
        assertThat(fill(a)).isEqualTo(accepted);
    }
}
