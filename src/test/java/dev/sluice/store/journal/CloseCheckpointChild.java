package dev.sluice.store.journal;

import static dev.sluice.store.StoreContract.put;
import static dev.sluice.store.StoreContract.queue;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link CheckpointAtCloseTest} kills with SIGKILL while it closes: a journal store (checkpoints every MiB,
 * so an older one is there) filled with {@code args[1]} messages, the first {@link #PAGED} of them paged out, every
 * tenth of the rest deleted; it prints {@code FILLED} once all that is acknowledged and the checkpoints it started are
 * written, then sends one more message and closes (which writes the checkpoint at close) and prints {@code CLOSED}.
 */
public final class CloseCheckpointChild {
    static final String QUEUE = "q-1";
    static final int PAGED = 20_000;
    static final int PAGE = 1_000;
    /** The message sent after the last checkpoint while running. */
    static final String LAST = "last";

    private CloseCheckpointChild() {}

    static String id(int i) {
        return "m-%07d".formatted(i);
    }

    static boolean deleted(int i) {
        return i >= PAGED && i % 10 == 0;
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[1]);
        JournalStore store = new JournalStore(
                Path.of(args[0]),
                JournalStore.Durability.FSYNC,
                Duration.ofMillis(50),
                JournalStore.DEFAULT_SEGMENT_BYTES,
                1024 * 1024);
        PageStore pages = store.pages().orElseThrow();
        store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders")))
                .toCompletableFuture()
                .join();
        List<StoredMessage> toPage = new ArrayList<>();
        for (int from = 0; from < count; from += 100) {
            List<StoreChange> batch = new ArrayList<>(100);
            for (int i = from; i < Math.min(count, from + 100); i++) {
                StoreChange.PutMessage message = put(QUEUE, id(i), i);
                batch.add(message);
                if (i < PAGED) {
                    toPage.add(message.message());
                }
            }
            store.commit(batch).toCompletableFuture().join();
        }
        for (int from = 0; from < toPage.size(); from += PAGE) {
            pages.pageOut(QUEUE, toPage.subList(from, from + PAGE))
                    .toCompletableFuture()
                    .join();
        }
        List<String> deletes = new ArrayList<>();
        for (int i = PAGED; i < count; i++) {
            if (deleted(i)) {
                deletes.add(id(i));
            }
        }
        store.commit(new StoreChange.DeleteMessages(QUEUE, deletes))
                .toCompletableFuture()
                .join();
        store.awaitCheckpoint(); // so the only checkpoint started from here on is the one at close
        // One more message after it, so the checkpoint at close has something to add (it is skipped otherwise).
        store.commit(List.of(put(QUEUE, LAST, count))).toCompletableFuture().join();
        System.out.println("FILLED");
        System.out.flush();
        store.close();
        System.out.println("CLOSED");
        System.out.flush();
    }
}
