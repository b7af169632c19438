package dev.sluice.store;

import java.util.List;

/**
 * Everything a store holds, read once at start to rebuild the engine's in-memory indexes and the tenant registry.
 */
public record StoreSnapshot(
        List<StoredQueue> queues,
        List<Entry> messages,
        List<StoredDeduplication> deduplications,
        List<StoredMoveTask> moveTasks,
        List<StoredTenant> tenants,
        List<StoredAccessKey> accessKeys,
        List<StoredPage> pages) {

    /** A snapshot without pages. */
    public StoreSnapshot(
            List<StoredQueue> queues,
            List<Entry> messages,
            List<StoredDeduplication> deduplications,
            List<StoredMoveTask> moveTasks,
            List<StoredTenant> tenants,
            List<StoredAccessKey> accessKeys) {
        this(queues, messages, deduplications, moveTasks, tenants, accessKeys, List.of());
    }

    /** A snapshot without tenants, keys or pages. */
    public StoreSnapshot(
            List<StoredQueue> queues,
            List<Entry> messages,
            List<StoredDeduplication> deduplications,
            List<StoredMoveTask> moveTasks) {
        this(queues, messages, deduplications, moveTasks, List.of(), List.of(), List.of());
    }

    /** A stored message with its delivery state. */
    public record Entry(StoredMessage message, StoredDelivery delivery) {}

    /** Tenants and access keys alone. */
    public record Accounts(List<StoredTenant> tenants, List<StoredAccessKey> accessKeys) {}
}
