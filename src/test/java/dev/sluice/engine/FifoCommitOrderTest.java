package dev.sluice.engine;

import static dev.sluice.queues.contract.FifoFixture.CONTENT_BASED;
import static dev.sluice.queues.contract.FifoFixture.bodies;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.HeldCommitStore;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.contract.QueuesFixture;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.CountingIds;
import dev.sluice.queues.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A FIFO send becomes receivable only after its commit, and the code that makes it receivable runs whenever the
 * sender's thread gets to it: two senders to one group may reach that point in either order (in the memory and
 * batched modes the commit is complete before the sender's continuation is attached). A later message of the group
 * must still never be handed out before an earlier one. The store here completes commits when the test says, which
 * plays out the late sender deterministically.
 */
class FifoCommitOrderTest {
    private final HeldCommitStore store = new HeldCommitStore();
    private final FakeClock clock = new FakeClock();
    private final QueueEngine engine = new QueueEngine(store, clock, clock, new CountingIds(), Strictness.LENIENT);
    private final QueueKey queue = QueuesFixture.key("orders.fifo");

    private List<ReceivedMessage> receive() {
        return engine.receive(
                        queue, new ReceiveOptions(10, Optional.of(Duration.ofMinutes(1)), Optional.of(Duration.ZERO)))
                .toCompletableFuture()
                .join();
    }

    @Test
    void laterMessageOfAGroupWaitsForAnEarlierOneStillBeingCommitted() {
        engine.createQueue(queue, CONTENT_BASED, Map.of());
        store.holding = true;
        CompletableFuture<SentMessage> first =
                engine.send(queue, grouped("a1", "a")).toCompletableFuture();
        CompletableFuture<SentMessage> second =
                engine.send(queue, grouped("a2", "a")).toCompletableFuture();
        CompletableFuture<SentMessage> otherGroup =
                engine.send(queue, grouped("b1", "b")).toCompletableFuture();
        store.holding = false;

        store.held.get(1).complete(null);
        store.held.get(2).complete(null);
        assertThat(second).isDone();

        assertThat(bodies(receive()))
                .as("a2 must not overtake a1; b is not held up")
                .containsExactly("b1");

        store.held.get(0).complete(null);
        assertThat(first).isDone();
        assertThat(otherGroup).isDone();
        assertThat(bodies(receive())).containsExactly("a1", "a2");
    }

    @Test
    void failedCommitGivesUpItsPlaceInTheGroup() {
        engine.createQueue(queue, CONTENT_BASED, Map.of());
        store.holding = true;
        CompletableFuture<SentMessage> failed =
                engine.send(queue, grouped("a1", "a")).toCompletableFuture();
        engine.send(queue, grouped("a2", "a"));
        store.holding = false;

        store.held.get(0).completeExceptionally(new IllegalStateException("disk full"));
        store.held.get(1).complete(null);

        assertThat(failed).isCompletedExceptionally();
        assertThat(bodies(receive())).containsExactly("a2");
    }
}
