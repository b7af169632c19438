package dev.sluice.engine;

import static dev.sluice.engine.EngineFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.CountingIds;
import dev.sluice.engine.testkit.FakeClock;
import dev.sluice.engine.testkit.HeldCommitStore;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.store.StoreChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A standard queue hands a just-sent message to a parked long poll in the send's own commit, so the receiver waits for
 * one sync, not two. The store here completes commits when the test says, which shows what is visible while that
 * commit is on its way and what a failed one leaves.
 */
class LongPollHandOffTest {
    private static final Duration TWENTY_SECONDS = Duration.ofSeconds(20);

    private final HeldCommitStore store = new HeldCommitStore();
    private final FakeClock clock = new FakeClock();
    private final QueueEngine engine = new QueueEngine(store, clock, clock, new CountingIds(), Strictness.LENIENT);
    private final QueueKey queue = EngineFixture.key("orders");

    LongPollHandOffTest() {
        engine.createQueue(queue, Map.of(), Map.of());
    }

    private CompletableFuture<List<ReceivedMessage>> longPoll(QueueEngine on, int max) {
        return on.receive(queue, new ReceiveOptions(max, Optional.empty(), Optional.of(TWENTY_SECONDS)))
                .toCompletableFuture();
    }

    private List<Integer> counts(QueueEngine on) {
        QueueInfo info = EngineFixture.join(on.describe(queue));
        return List.of(info.visible(), info.inFlight(), info.delayed());
    }

    @Test
    void sendAndItsDeliveryToAParkedPollAreOneCommitAndBothAnswerAfterIt() {
        CompletableFuture<List<ReceivedMessage>> poll = longPoll(engine, 10);
        int before = store.commits.size();
        store.holding = true;

        CompletableFuture<SentMessage> sent =
                engine.send(queue, message("hello")).toCompletableFuture();

        assertThat(store.commits).hasSize(before + 1);
        assertThat(store.commits.getLast())
                .extracting(change -> change.getClass().getSimpleName())
                .containsExactly("PutMessage", "PutDelivery");
        assertThat(sent).as("the send waits for its commit").isNotDone();
        assertThat(poll).as("so does the receive it was handed to").isNotDone();
        assertThat(counts(engine))
                .as("in flight to the parked poll, no one else gets it")
                .containsExactly(0, 1, 0);

        store.held.getFirst().complete(null);

        assertThat(sent).isCompleted();
        assertThat(poll.join()).extracting(r -> r.body()).containsExactly("hello");
        assertThat(poll.join().getFirst().receiveCount()).isEqualTo(1);
        assertThat(poll.join().getFirst().messageId()).isEqualTo(sent.join().messageId());
        QueueEngine restarted = new QueueEngine(store, clock, clock, new CountingIds(), Strictness.LENIENT);
        assertThat(counts(restarted)).as("a restart sees it in flight").containsExactly(0, 1, 0);
    }

    @Test
    void handedMessageComesBackAfterItsVisibilityTimeout() {
        CompletableFuture<List<ReceivedMessage>> poll = longPoll(engine, 10);
        engine.send(queue, message("hello"));
        assertThat(poll.join()).hasSize(1);

        clock.advance(Duration.ofSeconds(30));

        CompletableFuture<List<ReceivedMessage>> again = longPoll(engine, 10);
        assertThat(again.join()).extracting(ReceivedMessage::receiveCount).containsExactly(2);
    }

    @Test
    void aPollStillParkedIsWokenWhenAHandedMessageBecomesVisibleAgain() {
        CompletableFuture<List<ReceivedMessage>> first = engine.receive(
                        queue, new ReceiveOptions(1, Optional.of(Duration.ofSeconds(2)), Optional.of(TWENTY_SECONDS)))
                .toCompletableFuture();
        CompletableFuture<List<ReceivedMessage>> second = longPoll(engine, 1);
        engine.sendBatch(queue, List.of(message("a")));
        assertThat(first.join()).hasSize(1);
        assertThat(second).isNotDone();

        clock.advance(Duration.ofSeconds(2));

        assertThat(second).isDone();
        assertThat(second.join()).extracting(r -> r.body()).containsExactly("a");
    }

    @Test
    void failedCommitTakesTheHandedMessageBack() {
        CompletableFuture<List<ReceivedMessage>> poll = longPoll(engine, 10);
        store.holding = true;
        CompletableFuture<SentMessage> sent =
                engine.send(queue, message("hello")).toCompletableFuture();

        store.held.getFirst().completeExceptionally(new IllegalStateException("disk full"));

        assertThat(sent).isCompletedExceptionally();
        assertThat(poll).isCompletedExceptionally();
        assertThat(counts(engine)).containsExactly(0, 0, 0);
    }

    @Test
    void delayedMessageIsNotHandedOff() {
        CompletableFuture<List<ReceivedMessage>> poll = longPoll(engine, 10);

        engine.send(queue, message("later", Duration.ofSeconds(5)));

        assertThat(poll).isNotDone();
        assertThat(store.commits.getLast()).hasOnlyElementsOfType(StoreChange.PutMessage.class);
        clock.advance(Duration.ofSeconds(5));
        assertThat(poll.join()).extracting(r -> r.body()).containsExactly("later");
    }

    @Test
    void batchFillsParkedPollsInTurnAndTheRestIsVisibleAfterTheCommit() {
        CompletableFuture<List<ReceivedMessage>> first = longPoll(engine, 2);
        CompletableFuture<List<ReceivedMessage>> second = longPoll(engine, 1);
        store.holding = true;

        engine.sendBatch(queue, List.of(message("a"), message("b"), message("c"), message("d")));

        assertThat(counts(engine)).as("d is not receivable before the commit").containsExactly(0, 3, 0);
        store.held.getFirst().complete(null);
        assertThat(first.join()).extracting(r -> r.body()).containsExactly("a", "b");
        assertThat(second.join()).extracting(r -> r.body()).containsExactly("c");
        assertThat(counts(engine)).containsExactly(1, 3, 0);
    }

    @Test
    void messageWithAGroupOnAStandardQueueTakesTheOrdinaryPath() {
        CompletableFuture<List<ReceivedMessage>> poll = longPoll(engine, 10);

        engine.send(queue, FifoFixture.grouped("fair", "tenant-1", null));

        assertThat(store.commits)
                .as("the send's commit, then the receive's")
                .satisfies(commits ->
                        assertThat(commits.get(commits.size() - 2)).hasOnlyElementsOfType(StoreChange.PutMessage.class))
                .satisfies(
                        commits -> assertThat(commits.getLast()).hasOnlyElementsOfType(StoreChange.PutDelivery.class));
        assertThat(poll.join()).extracting(r -> r.body()).containsExactly("fair");
    }
}
