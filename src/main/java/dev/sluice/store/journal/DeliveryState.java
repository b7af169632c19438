package dev.sluice.store.journal;

import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;

/**
 * A delivery record as the opening scan keeps it until the engine takes the state: its numbers only, without the
 * queue and message ids a {@link StoredDelivery} repeats (a restart holds one for every queued message at once, so
 * those two strings each were most of what a start needed beyond the running server's heap).
 */
record DeliveryState(long visibleAtMillis, int receiveCount, long firstReceiveMillis, long lastReceiveMillis) {

    static DeliveryState of(StoredDelivery delivery) {
        return new DeliveryState(
                delivery.visibleAtMillis(),
                delivery.receiveCount(),
                delivery.firstReceiveMillis(),
                delivery.lastReceiveMillis());
    }

    /** The delivery of {@code message}, sharing its ids. */
    StoredDelivery of(StoredMessage message) {
        return new StoredDelivery(
                message.queueId(),
                message.messageId(),
                visibleAtMillis,
                receiveCount,
                firstReceiveMillis,
                lastReceiveMillis);
    }
}
