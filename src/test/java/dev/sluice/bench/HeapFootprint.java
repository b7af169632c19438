package dev.sluice.bench;

import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.ExecutorScheduler;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.store.journal.JournalStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the engine's heap per queued message and what a start on a filled data directory needs: a program, not a
 * test (bench/heap runs it in JVMs of chosen heap sizes). {@code fill DIR N}: sends N 1 KiB messages to one standard
 * queue on the journal (fsync), prints the live heap after a full GC and per message, then halts (no close, as a
 * kill -9). {@code start DIR}: opens the same directory, prints the start time, the live heap and the message count.
 */
public final class HeapFootprint {
    private static final QueueKey QUEUE = new QueueKey("us-east-1", "000000000000", "heap-footprint");
    private static final int BATCH = 10;
    private static final int SENDERS = 32;

    private HeapFootprint() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "fill" -> fill(dir, Long.parseLong(args[2]));
            case "start" -> start(dir);
            default -> throw new IllegalArgumentException("fill DIR N | start DIR");
        }
    }

    private static QueueEngine engine(Path dir) {
        JournalStore store = new JournalStore(dir, JournalStore.Durability.FSYNC, Duration.ofMillis(50));
        var timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().factory());
        return new QueueEngine(
                store,
                InstantSource.system(),
                new ExecutorScheduler(InstantSource.system(), timers),
                IdSource.random(),
                Strictness.LENIENT);
    }

    private static void fill(Path dir, long count) throws Exception {
        QueueEngine engine = engine(dir);
        engine.createQueue(QUEUE, Map.of(), Map.of(), Integer.MAX_VALUE)
                .toCompletableFuture()
                .join();
        long before = liveHeap();
        String body = "x".repeat(1024);
        AtomicLong next = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long t0 = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(Thread.ofPlatform().start(() -> {
                List<NewMessage> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "000000000000"));
                }
                while (next.getAndAdd(BATCH) < count) {
                    try {
                        engine.sendBatch(QUEUE, batch, Long.MAX_VALUE)
                                .toCompletableFuture()
                                .join();
                    } catch (RuntimeException e) {
                        refused.incrementAndGet();
                        if (refused.get() == 1) {
                            System.out.println("refused: " + e);
                        }
                    }
                }
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = liveHeap();
        long queued = messages(engine);
        System.out.printf(
                "fill messages=%d seconds=%.1f rate=%.0f/s refused_batches=%d live_heap_mib=%d"
                        + " heap_per_message_bytes=%d%n",
                queued,
                seconds,
                queued / seconds,
                refused.get(),
                after >> 20,
                queued == 0 ? 0 : (after - before) / queued);
        Runtime.getRuntime().halt(0);
    }

    private static void start(Path dir) {
        long t0 = System.nanoTime();
        QueueEngine engine = engine(dir);
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        long queued = messages(engine);
        long live = liveHeap();
        System.out.printf(
                "start messages=%d start_ms=%d live_heap_mib=%d heap_per_message_bytes=%d%n",
                queued, startMillis, live >> 20, queued == 0 ? 0 : live / queued);
        Runtime.getRuntime().halt(0);
    }

    private static long messages(QueueEngine engine) {
        QueueInfo info = engine.describe(QUEUE).toCompletableFuture().join();
        return (long) info.visible() + info.inFlight() + info.delayed();
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
