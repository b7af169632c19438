package dev.sluice.store;

/**
 * The delivery state of one message: when it is next visible, how often it was received, and when it was first and
 * last received (0 = never). Receipt handles are derived from it, so they stay valid across a restart.
 */
public record StoredDelivery(
        String queueId,
        String messageId,
        long visibleAtMillis,
        int receiveCount,
        long firstReceiveMillis,
        long lastReceiveMillis) {}
