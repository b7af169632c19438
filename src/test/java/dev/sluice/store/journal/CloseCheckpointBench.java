package dev.sluice.store.journal;

import static dev.sluice.store.StoreContract.delivery;
import static dev.sluice.store.StoreContract.queue;

import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What a clean stop and the start after it cost with a large index, by measurement (bench/notes.md): a program, not a
 * test. {@code CloseCheckpointBench DIR N} fills a journal store in DIR with N messages of 1 KiB in one queue, all in
 * memory (the index a checkpoint copies is as large as it gets), closes it, starts it again, and prints
 * the milliseconds of the close and of the start (the store opened and its snapshot taken). {@code
 * CloseCheckpointBench DIR N P} pages the first P of them out first, in pages of 10,000, as a paging server would. Run it with the classes of
 * two builds to compare them (the start's log says how many records it replayed).
 */
public final class CloseCheckpointBench {
    private CloseCheckpointBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        int paged = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<StoredMessage> toPage = new ArrayList<>(paged);
        String body = "b".repeat(1024);
        JournalStore store = new JournalStore(dir, JournalStore.Durability.FSYNC, Duration.ofMillis(50));
        store.commit(List.of(new StoreChange.PutQueue(queue("q-1", "bench"))))
                .toCompletableFuture()
                .join();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        long filled = System.nanoTime();
        for (int from = 0; from < count; from += 100) {
            List<StoreChange> batch = new ArrayList<>(100);
            for (int i = from; i < Math.min(count, from + 100); i++) {
                String id = UUID.randomUUID().toString();
                StoredMessage message = new StoredMessage(
                        "q-1", id, i, body, Map.of(), Map.of(), "AIDAEXAMPLE", i, i, null, null, null);
                batch.add(new StoreChange.PutMessage(message, delivery("q-1", id, 0, 0)));
                if (i < paged) {
                    toPage.add(message.withoutBody());
                }
            }
            inFlight.add(store.commit(batch).toCompletableFuture());
            if (inFlight.size() == 16) {
                inFlight.forEach(CompletableFuture::join);
                inFlight.clear();
            }
        }
        inFlight.forEach(CompletableFuture::join);
        for (int from = 0; from < paged; from += 10_000) {
            store.pages()
                    .orElseThrow()
                    .pageOut("q-1", toPage.subList(from, Math.min(paged, from + 10_000)))
                    .toCompletableFuture()
                    .join();
        }
        toPage.clear();
        System.out.printf("filled=%d paged=%d fill_ms=%d%n", count, paged, (System.nanoTime() - filled) / 1_000_000);
        long closing = System.nanoTime();
        store.close();
        System.out.printf("close_ms=%d%n", (System.nanoTime() - closing) / 1_000_000);
        long starting = System.nanoTime();
        try (JournalStore again = new JournalStore(dir, JournalStore.Durability.FSYNC, Duration.ofMillis(50))) {
            int messages = again.loadWithoutBodies().messages().size();
            System.out.printf("start_ms=%d messages=%d%n", (System.nanoTime() - starting) / 1_000_000, messages);
        }
    }
}
