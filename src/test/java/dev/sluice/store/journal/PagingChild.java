package dev.sluice.store.journal;

import static dev.sluice.store.StoreContract.put;
import static dev.sluice.store.StoreContract.queue;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The process {@link PagingCrashTest} kills with SIGKILL: a journal store on tiny segments (so compaction moves paged
 * records all the time) that sends, pages out, pages in, drops pages and churns, and prints each step once it is
 * acknowledged ({@code SENT from to}, {@code PAGED name from to}, {@code IN name}, {@code DROPPED name}) and before
 * it starts one whose outcome a crash leaves open ({@code DROPPING name}).
 */
public final class PagingChild {
    static final String QUEUE = "q-1";
    static final int RUN = 100;

    private PagingChild() {}

    static String keep(int i) {
        return "k-%07d".formatted(i);
    }

    public static void main(String[] args) {
        JournalStore store =
                new JournalStore(Path.of(args[0]), JournalStore.Durability.FSYNC, Duration.ofMillis(50), 64 * 1024);
        PageStore pages = store.pages().orElseThrow();
        store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders")))
                .toCompletableFuture()
                .join();
        Deque<StoredPage> live = new ArrayDeque<>();
        int next = 0;
        for (int round = 0; ; round++) {
            List<StoredMessage> sent = new ArrayList<>(RUN);
            for (int batch = 0; batch < RUN / 10; batch++) {
                List<StoreChange> changes = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    StoreChange.PutMessage message = put(QUEUE, keep(next), next);
                    next++;
                    changes.add(message);
                    sent.add(message.message());
                }
                store.commit(changes).toCompletableFuture().join();
            }
            System.out.println("SENT " + (next - RUN) + " " + next);
            StoredPage page = pages.pageOut(QUEUE, sent).toCompletableFuture().join();
            live.addLast(page);
            System.out.println("PAGED " + page.name() + " " + (next - RUN) + " " + next);
            // Churn, so most of the journal is dead and compaction keeps moving the paged records forward.
            List<String> churn = new ArrayList<>();
            for (int batch = 0; batch < 20; batch++) {
                List<StoreChange> changes = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String id = "c-" + round + "-" + (batch * 10 + i);
                    changes.add(put(QUEUE, id, 1_000_000_000L + round * 1000 + batch * 10 + i));
                    churn.add(id);
                }
                store.commit(changes).toCompletableFuture().join();
            }
            store.commit(new StoreChange.DeleteMessages(QUEUE, churn))
                    .toCompletableFuture()
                    .join();
            if (round % 3 == 1) {
                StoredPage oldest = live.removeFirst();
                pages.pageIn(oldest).toCompletableFuture().join();
                System.out.println("IN " + oldest.name());
            }
            if (round % 5 == 4) {
                StoredPage oldest = live.removeFirst();
                System.out.println("DROPPING " + oldest.name());
                store.commit(new StoreChange.DropPages(QUEUE, List.of(oldest.name())))
                        .toCompletableFuture()
                        .join();
                System.out.println("DROPPED " + oldest.name());
            }
            System.out.flush();
        }
    }
}
