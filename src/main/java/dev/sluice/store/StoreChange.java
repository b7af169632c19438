package dev.sluice.store;

import java.util.List;

/** One durable transition. A {@link Store#commit} applies a list of them atomically. */
public sealed interface StoreChange {

    /** Creates the queue or replaces its attributes, tags and counters. */
    record PutQueue(StoredQueue queue) implements StoreChange {}

    /** Removes the queue and every message, page and deduplication record it still holds. */
    record DeleteQueue(String queueId) implements StoreChange {}

    /** Stores a newly sent message together with its first delivery state. */
    record PutMessage(StoredMessage message, StoredDelivery delivery) implements StoreChange {}

    /** Replaces the delivery state of a message that is stored. */
    record PutDelivery(StoredDelivery delivery) implements StoreChange {}

    /** Removes messages (deleted, expired or purged) of one queue. */
    record DeleteMessages(String queueId, List<String> messageIds) implements StoreChange {}

    /** Removes pages of one queue with the messages they hold (purge, retention): {@link PageStore}. */
    record DropPages(String queueId, List<String> pageNames) implements StoreChange {}

    /** Records a FIFO deduplication key for its window. */
    record PutDeduplication(StoredDeduplication deduplication) implements StoreChange {}

    /** Forgets FIFO deduplication keys whose window is over. */
    record DeleteDeduplications(String queueId, List<String> keys) implements StoreChange {}

    /** Creates a message move task or records its progress. */
    record PutMoveTask(StoredMoveTask task) implements StoreChange {}

    /** Creates a tenant or replaces it (name, enabled, limits). */
    record PutTenant(StoredTenant tenant) implements StoreChange {}

    /** Removes a tenant; its keys are removed by their own changes, its queues stay. */
    record DeleteTenant(String accountId) implements StoreChange {}

    /** Creates an access key or replaces it (enabled). */
    record PutAccessKey(StoredAccessKey key) implements StoreChange {}

    record DeleteAccessKey(String accessKeyId) implements StoreChange {}
}
