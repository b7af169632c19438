package dev.sluice.store;

import java.util.List;

/** Everything a store holds, read once at start to rebuild the engine's in-memory indexes. */
public record StoreSnapshot(
        List<StoredQueue> queues,
        List<Entry> messages,
        List<StoredDeduplication> deduplications,
        List<StoredMoveTask> moveTasks) {

    /** A stored message with its delivery state. */
    public record Entry(StoredMessage message, StoredDelivery delivery) {}
}
