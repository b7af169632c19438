package dev.sluice.engine;

import static dev.sluice.queues.contract.QueuesFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.testkit.HeldCommitStore;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.FifoFixture;
import dev.sluice.queues.contract.QueuesFixture;
import dev.sluice.store.StoreChange;
import java.time.Duration;
import java.util.List;
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
    private final QueuesFixture sluice = new QueuesFixture(Backends.embedded(store));
    private final Queues engine = sluice.queues;
    private final QueueKey queue = sluice.createQueue("orders");

    @Test
    void sendAndItsDeliveryToAParkedPollAreOneCommitAndBothAnswerAfterIt() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);
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
        assertThat(sluice.counts(queue))
                .as("in flight to the parked poll, no one else gets it")
                .containsExactly(0, 1, 0);

        store.held.getFirst().complete(null);

        assertThat(sent).isCompleted();
        assertThat(poll.join()).extracting(r -> r.body()).containsExactly("hello");
        assertThat(poll.join().getFirst().receiveCount()).isEqualTo(1);
        assertThat(poll.join().getFirst().messageId()).isEqualTo(sent.join().messageId());
        QueuesFixture restarted = sluice.restart();
        assertThat(restarted.counts(queue)).as("a restart sees it in flight").containsExactly(0, 1, 0);
    }

    @Test
    void handedMessageComesBackAfterItsVisibilityTimeout() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        engine.send(queue, message("hello"));
        assertThat(poll.join()).hasSize(1);

        sluice.clock.advance(Duration.ofSeconds(30));

        CompletableFuture<List<ReceivedMessage>> again = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        assertThat(again.join()).extracting(ReceivedMessage::receiveCount).containsExactly(2);
    }

    @Test
    void aPollStillParkedIsWokenWhenAHandedMessageBecomesVisibleAgain() {
        CompletableFuture<List<ReceivedMessage>> first = engine.receive(
                        queue, new ReceiveOptions(1, Optional.of(Duration.ofSeconds(2)), Optional.of(TWENTY_SECONDS)))
                .toCompletableFuture();
        CompletableFuture<List<ReceivedMessage>> second = sluice.longPoll(queue, 1, TWENTY_SECONDS);
        engine.sendBatch(queue, List.of(message("a")));
        assertThat(first.join()).hasSize(1);
        assertThat(second).isNotDone();

        sluice.clock.advance(Duration.ofSeconds(2));

        assertThat(second).isDone();
        assertThat(second.join()).extracting(r -> r.body()).containsExactly("a");
    }

    @Test
    void failedCommitTakesTheHandedMessageBack() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);
        store.holding = true;
        CompletableFuture<SentMessage> sent =
                engine.send(queue, message("hello")).toCompletableFuture();

        store.held.getFirst().completeExceptionally(new IllegalStateException("disk full"));

        assertThat(sent).isCompletedExceptionally();
        assertThat(poll).isCompletedExceptionally();
        assertThat(sluice.counts(queue)).containsExactly(0, 0, 0);
    }

    @Test
    void delayedMessageIsNotHandedOff() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

        engine.send(queue, message("later", Duration.ofSeconds(5)));

        assertThat(poll).isNotDone();
        assertThat(store.commits.getLast()).hasOnlyElementsOfType(StoreChange.PutMessage.class);
        sluice.clock.advance(Duration.ofSeconds(5));
        assertThat(poll.join()).extracting(r -> r.body()).containsExactly("later");
    }

    @Test
    void batchFillsParkedPollsInTurnAndTheRestIsVisibleAfterTheCommit() {
        CompletableFuture<List<ReceivedMessage>> first = sluice.longPoll(queue, 2, TWENTY_SECONDS);
        CompletableFuture<List<ReceivedMessage>> second = sluice.longPoll(queue, 1, TWENTY_SECONDS);
        store.holding = true;

        engine.sendBatch(queue, List.of(message("a"), message("b"), message("c"), message("d")));

        assertThat(sluice.counts(queue))
                .as("d is not receivable before the commit")
                .containsExactly(0, 3, 0);
        store.held.getFirst().complete(null);
        assertThat(first.join()).extracting(r -> r.body()).containsExactly("a", "b");
        assertThat(second.join()).extracting(r -> r.body()).containsExactly("c");
        assertThat(sluice.counts(queue)).containsExactly(1, 3, 0);
    }

    @Test
    void messageWithAGroupOnAStandardQueueTakesTheOrdinaryPath() {
        CompletableFuture<List<ReceivedMessage>> poll = sluice.longPoll(queue, 10, TWENTY_SECONDS);

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
