package dev.sluice.store;

/**
 * A run of one queue's ready messages that the store holds on disk instead of the engine holding them in memory
 * (README, Paged index): consecutive in the queue's send order, every one visible and not received since it was
 * stored. {@code name} identifies the page within the store; the rest describes it to the engine without reading it.
 */
public record StoredPage(
        String queueId,
        String name,
        long firstSequence,
        long lastSequence,
        int count,
        long oldestEnqueuedMillis,
        long newestEnqueuedMillis) {}
