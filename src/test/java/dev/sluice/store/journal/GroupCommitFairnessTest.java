package dev.sluice.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreContract;
import dev.sluice.store.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: one tenant's batch cannot delay another tenant's commit by more than one group. The writer takes everything
 * waiting, up to 16 MiB, into one write and one fdatasync; SQS caps a SendMessageBatch at 1 MiB of messages, so a
 * batch always fits in the group a later small commit joins. Here the writer is held inside a group's completion (it
 * completes its commits itself) while tenant A's largest batch and then tenant B's one message arrive; once released,
 * both are written by the very next group: B waited for the group in progress and its own, which A's batch shares.
 */
class GroupCommitFairnessTest {
    @TempDir
    Path directory;

    private JournalStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aLargeBatchSharesTheNextGroupWithTheCommitsBehindIt() throws Exception {
        store = new JournalStore(directory, JournalStore.Durability.FSYNC, Duration.ofMillis(50));
        store.commit(List.of(new StoreChange.PutQueue(StoreContract.queue("q-a", "a"))))
                .toCompletableFuture()
                .get();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        holdWriter(held, release);
        long groupsBefore = store.groupCommits();

        CompletableFuture<Void> batch = store.commit(oneMebibyteBatch()).toCompletableFuture();
        CompletableFuture<Void> small =
                store.commit(List.of(StoreContract.put("q-a", "b-1", 100))).toCompletableFuture();
        assertThat(batch).isNotDone();
        assertThat(small).isNotDone();
        release.countDown();

        CompletableFuture.allOf(batch, small).get(10, TimeUnit.SECONDS);
        assertThat(store.groupCommits() - groupsBefore)
                .as("A's batch and B's message went out in one group")
                .isEqualTo(1);
    }

    /**
     * Makes the writer thread wait inside the completion of a commit, until {@code release}. A commit that completed
     * before its dependent was attached runs the dependent on this thread instead; then another is tried.
     */
    private void holdWriter(CountDownLatch held, CountDownLatch release) throws Exception {
        for (int attempt = 0; attempt < 100 && held.getCount() > 0; attempt++) {
            store.commit(List.of(StoreContract.put("q-a", "hold-" + attempt, attempt)))
                    .thenRun(() -> {
                        if (Thread.currentThread().getName().equals("sluice-journal-writer")) {
                            held.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    });
            held.await(200, TimeUnit.MILLISECONDS);
        }
        assertThat(held.getCount()).as("the writer is held").isZero();
    }

    /** Ten messages of 100 KiB: SendMessageBatch's most (1 MiB of messages), as one commit. */
    private static List<StoreChange> oneMebibyteBatch() {
        List<StoreChange> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StoreChange.PutMessage put = StoreContract.put("q-a", "a-" + i, i + 1);
            StoredMessage message = put.message();
            StoredMessage large = new StoredMessage(
                    message.queueId(),
                    message.messageId(),
                    message.sequence(),
                    "x".repeat(100 * 1024),
                    message.messageAttributes(),
                    message.systemAttributes(),
                    message.senderId(),
                    message.sentMillis(),
                    message.enqueuedMillis(),
                    null,
                    null,
                    null);
            changes.add(new StoreChange.PutMessage(large, put.delivery()));
        }
        return changes;
    }
}
