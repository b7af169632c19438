package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract plus what a store on disk must do: survive close and reopen, group concurrent commits, and in
 * batched mode still write everything by close. Run once per file store, each opening its files in {@link #directory}.
 */
public abstract class DurableStoreContract extends StoreContract {
    protected static final Duration BATCH_INTERVAL = Duration.ofMillis(50);

    @TempDir
    protected Path directory;

    /** A store on {@link #directory} whose commits complete after the fsync. */
    @Override
    protected abstract Store openStore();

    /** A store on {@link #directory} in batched mode: commits complete at once, a sync follows every interval. */
    protected abstract Store openBatched(Duration interval);

    /** Group commits (syncs) the current store has made. */
    protected abstract long groupCommits();

    /** Closes the store and opens the same file again, as a restart would. */
    protected Store reopen() {
        store.close();
        store = null;
        Store reopened = openStore();
        store = reopened;
        return reopened;
    }

    @Test
    void closeAndReopenKeepsEverything() {
        StoredQueue orders = queue("q-1", "orders");
        StoredQueue deleted = queue("q-2", "deleted");
        commit(new StoreChange.PutQueue(orders), new StoreChange.PutQueue(deleted));
        commit(put("q-1", "m-1", 1), put("q-1", "m-2", 2), put("q-1", "m-3", 3), put("q-2", "m-1", 1));
        commit(new StoreChange.PutDelivery(delivery("q-1", "m-2", 60_000, 3)));
        commit(new StoreChange.DeleteMessages("q-1", List.of("m-1")));
        commit(new StoreChange.DeleteQueue("q-2"));
        StoreSnapshot committed = store.load();
        assertThat(committed.messages()).hasSize(2);

        reopen();

        assertSnapshot(store.load(), committed.queues(), committed.messages());
    }

    @Test
    void tenantsAndKeysSurviveReopen() {
        StoredQuota quota =
                new StoredQuota(new StoredRate(10, 20), new StoredRate(1000, 1000), Map.of("q", new StoredRate(1, 1)));
        commit(
                new StoreChange.PutTenant(tenant("111111111111", 3, null)),
                new StoreChange.PutTenant(new StoredTenant("222222222222", "b", true, null, null, 1L, quota)),
                new StoreChange.PutAccessKey(accessKey("AKIDA", "111111111111")));
        StoreSnapshot.Accounts committed = store.loadAccounts();

        reopen();

        assertThat(store.loadAccounts()).isEqualTo(committed);
        assertThat(committed.accessKeys()).hasSize(1);
    }

    @Test
    void closeAndReopenKeepsDeduplicationRecordsAndMoveTasks() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders.fifo")), new StoreChange.PutQueue(queue("q-2", "gone")));
        StoredDeduplication kept = deduplication("q-1", "group-a dedup/1", 300_000);
        commit(
                new StoreChange.PutDeduplication(kept),
                new StoreChange.PutDeduplication(deduplication("q-1", "expired", 100_000)),
                new StoreChange.PutDeduplication(deduplication("q-2", "dedup", 300_000)));
        commit(new StoreChange.DeleteDeduplications("q-1", List.of("expired")), new StoreChange.DeleteQueue("q-2"));
        StoredMoveTask running = moveTask("task-1", "RUNNING", 10);
        commit(new StoreChange.PutMoveTask(moveTask("task-1", "RUNNING", 0)), new StoreChange.PutMoveTask(running));

        reopen();

        assertThat(store.load().deduplications()).containsExactly(kept);
        assertThat(store.load().moveTasks()).containsExactly(running);
        commit(new StoreChange.DeleteDeduplications("q-1", List.of(kept.key())));
        reopen();
        assertThat(store.load().deduplications()).isEmpty();
    }

    @Test
    void reopenedStoreKeepsTakingCommits() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        reopen();

        commit(put("q-1", "m-2", 2), new StoreChange.DeleteMessages("q-1", List.of("m-1")));
        reopen();

        assertThat(store.load().messages())
                .extracting(e -> e.message().messageId())
                .containsExactly("m-2");
    }

    @Test
    @Timeout(60)
    void concurrentCommitsAreGroupedAndAllDurable() throws Exception {
        int threads = 8;
        int commitsPerThread = 100;
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        Store durable = store;
        long groupsBefore = groupCommits();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                // Each writer behaves like a request thread: commit, wait for the fsync, commit the next.
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < commitsPerThread; i++) {
                        long sequence = thread * 1_000L + i;
                        join(durable.commit(put("q-1", "t" + thread + "-m" + i, sequence)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int commits = threads * commitsPerThread;
        long groups = groupCommits() - groupsBefore;
        System.out.printf(
                getClass().getSimpleName() + " group commit: %d commits in %d group commits (%.1f commits per fsync)%n",
                commits,
                groups,
                (double) commits / groups);
        assertThat(groups).isPositive().isLessThan(commits);

        reopen();
        assertThat(store.load().messages()).hasSize(commits);
    }

    @Test
    void commitsAreAppliedInTheOrderTheyArrive() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int receiveCount = 1; receiveCount <= 50; receiveCount++) {
            pending.add(store.commit(new StoreChange.PutDelivery(delivery("q-1", "m-1", receiveCount, receiveCount)))
                    .toCompletableFuture());
        }
        pending.forEach(StoreContract::join);

        reopen();

        assertThat(store.load().messages())
                .singleElement()
                .satisfies(entry -> assertThat(entry.delivery().receiveCount()).isEqualTo(50));
    }

    @Test
    void batchedModePersistsAfterClose() {
        store.close();
        store = openBatched(BATCH_INTERVAL);
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        for (int i = 0; i < 100; i++) {
            commit(put("q-1", "m-" + i, i));
        }

        reopen();

        assertThat(store.load().queues()).extracting(StoredQueue::queueId).containsExactly("q-1");
        assertThat(store.load().messages()).hasSize(100);
    }

    @Test
    @Timeout(5)
    void batchedModeWritesPendingCommitsAtCloseWithoutWaitingForTheInterval() {
        store.close();
        store = openBatched(Duration.ofMinutes(10));
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));

        reopen();

        assertThat(store.load().messages()).hasSize(1);
    }

    @Test
    void closingTwiceIsHarmless() {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        store.close();

        reopen();

        assertThat(store.load().queues()).hasSize(1);
    }

    @Test
    void commitAfterCloseFails() {
        store.close();
        CompletableFuture<Void> late =
                store.commit(new StoreChange.PutQueue(queue("q-1", "orders"))).toCompletableFuture();
        store = null;

        assertThat(late).isCompletedExceptionally();
    }
}
