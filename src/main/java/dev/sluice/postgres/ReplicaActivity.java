package dev.sluice.postgres;

import dev.sluice.queues.QueueKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this replica did on each queue since it started, for the counters of {@code /q/metrics} (messages sent and
 * their bytes, received, deleted, moved to the dead-letter queue by its receives, FIFO duplicates, empty receives):
 * counted in memory where the database answered, one map lookup and an addition per operation. Each replica counts its
 * own requests, as Prometheus counters of several instances do (a query sums them across pods). Not stored: a start
 * counts from zero.
 */
final class ReplicaActivity {
    /** One queue's counters. */
    static final class Counters {
        final LongAdder sent = new LongAdder();
        final LongAdder sentBytes = new LongAdder();
        final LongAdder received = new LongAdder();
        final LongAdder emptyReceives = new LongAdder();
        final LongAdder deleted = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
        final LongAdder deduplicated = new LongAdder();
    }

    private static final Counters NONE = new Counters();

    private final Map<QueueKey, Counters> byQueue = new ConcurrentHashMap<>();

    Counters of(QueueKey key) {
        Counters counters = byQueue.get(key);
        return counters != null ? counters : byQueue.computeIfAbsent(key, k -> new Counters());
    }

    /** The queue's counters, all zero if this replica has done nothing on it. */
    Counters read(QueueKey key) {
        return byQueue.getOrDefault(key, NONE);
    }

    /** Forgets the queues not in {@code live} (deleted since). */
    void retain(java.util.Set<QueueKey> live) {
        byQueue.keySet().retainAll(live);
    }
}
