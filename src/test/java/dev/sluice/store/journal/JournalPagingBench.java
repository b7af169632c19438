package dev.sluice.store.journal;

import static dev.sluice.store.StoreContract.delivery;
import static dev.sluice.store.StoreContract.message;
import static dev.sluice.store.StoreContract.queue;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Paging through a real {@link JournalStore} (README, Paged index): a program, not a test. {@code JournalPagingBench
 * DIR N PAGE} sends N messages of 1 KiB, pages them all out in pages of PAGE and back in, one page at a time, and prints entries per second
 * each way, while one client thread commits one small message at a time throughout: its commit latencies before, during
 * page-out and during page-in show what paging adds to the group commits it shares the writer with. Run with the test
 * class path (bench/notes.md has the command).
 */
public final class JournalPagingBench {
    private static final String QUEUE = "q-bench";

    private JournalPagingBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int pageSize = Integer.parseInt(args[2]);
        String body = "x".repeat(1024);
        try (JournalStore store = new JournalStore(dir, JournalStore.Durability.FSYNC, Duration.ofMillis(5))) {
            PageStore pages = store.pages().orElseThrow();
            store.commit(new StoreChange.PutQueue(queue(QUEUE, "bench")))
                    .toCompletableFuture()
                    .join();
            List<StoredMessage> sent = new ArrayList<>(count);
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int from = 0; from < count; from += 10) {
                List<StoreChange> batch = new ArrayList<>(10);
                for (int i = from; i < Math.min(count, from + 10); i++) {
                    StoredMessage message =
                            message(QUEUE, "m-%09d".formatted(i), i).withBody(body);
                    sent.add(message);
                    batch.add(new StoreChange.PutMessage(message, delivery(QUEUE, message.messageId(), 0, 0)));
                }
                inFlight.add(store.commit(batch).toCompletableFuture());
                if (inFlight.size() >= 64) {
                    inFlight.forEach(CompletableFuture::join);
                    inFlight.clear();
                }
            }
            inFlight.forEach(CompletableFuture::join);
            List<StoredMessage> withoutBodies =
                    sent.stream().map(StoredMessage::withoutBody).toList();

            Probe probe = new Probe(store);
            probe.start();
            Thread.sleep(2000);
            long[] idle = probe.take();

            long start = System.nanoTime();
            List<StoredPage> paged = new ArrayList<>();
            for (int from = 0; from < count; from += pageSize) {
                paged.add(pages.pageOut(QUEUE, withoutBodies.subList(from, Math.min(count, from + pageSize)))
                        .toCompletableFuture()
                        .join());
            }
            double outSeconds = (System.nanoTime() - start) / 1e9;
            long[] duringOut = probe.take();

            start = System.nanoTime();
            long entries = 0;
            for (StoredPage page : paged) {
                entries += pages.pageIn(page).toCompletableFuture().join().size();
            }
            double inSeconds = (System.nanoTime() - start) / 1e9;
            long[] duringIn = probe.take();
            probe.stop();

            System.out.printf(
                    "%d entries, pages of %d: out %.0f entries/s (%.2f s), in %.0f entries/s (%.2f s)%n",
                    count, pageSize, count / outSeconds, outSeconds, entries / inSeconds, inSeconds);
            long[] writer = store.pagingWriterNanos();
            System.out.printf(
                    "writer thread on page work: %.1f ms in all, longest piece %.2f ms%n",
                    writer[0] / 1e6, writer[1] / 1e6);
            System.out.println("one-message commit latency, ms (n, p50, p99, max):");
            System.out.println("  idle      " + summary(idle));
            System.out.println("  page-out  " + summary(duringOut));
            System.out.println("  page-in   " + summary(duringIn));
        }
    }

    private static String summary(long[] nanos) {
        if (nanos.length == 0) {
            return "none";
        }
        Arrays.sort(nanos);
        return "%d, %.2f, %.2f, %.2f"
                .formatted(
                        nanos.length,
                        nanos[nanos.length / 2] / 1e6,
                        nanos[(int) (nanos.length * 0.99)] / 1e6,
                        nanos[nanos.length - 1] / 1e6);
    }

    /** One client committing one message at a time, recording each commit's latency. */
    private static final class Probe {
        private final JournalStore store;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Long> latencies = new ArrayList<>();
        private Thread thread;

        Probe(JournalStore store) {
            this.store = store;
        }

        void start() {
            thread = Thread.ofPlatform().start(() -> {
                long i = 0;
                while (running.get()) {
                    String id = "probe-" + i++;
                    StoredMessage message = message(QUEUE, id, 1_000_000_000L + i);
                    long begin = System.nanoTime();
                    store.commit(new StoreChange.PutMessage(message, delivery(QUEUE, id, 0, 0)))
                            .toCompletableFuture()
                            .join();
                    long took = System.nanoTime() - begin;
                    synchronized (latencies) {
                        latencies.add(took);
                    }
                }
            });
        }

        long[] take() {
            synchronized (latencies) {
                long[] taken = latencies.stream().mapToLong(Long::longValue).toArray();
                latencies.clear();
                return taken;
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
