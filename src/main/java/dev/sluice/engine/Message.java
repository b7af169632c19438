package dev.sluice.engine;

import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import java.time.Instant;
import java.util.Comparator;

/** A message in the engine's memory: what was sent, plus its delivery state, which only its queue's lock changes. */
final class Message {
    /** Orders the not-yet-visible messages by when they become visible; the sequence breaks ties. */
    static final Comparator<Message> BY_VISIBLE_AT =
            Comparator.comparingLong((Message m) -> m.visibleAtMillis).thenComparingLong(m -> m.stored.sequence());

    /** Orders messages by age for retention: enqueue time, then sequence. */
    static final Comparator<Message> BY_AGE = Comparator.comparingLong((Message m) -> m.stored.enqueuedMillis())
            .thenComparingLong(m -> m.stored.sequence());

    final StoredMessage stored;
    long visibleAtMillis;
    int receiveCount;
    long firstReceiveMillis;
    long lastReceiveMillis;
    private String md5OfBody;
    private String md5OfAttributes;

    Message(StoredMessage stored, long visibleAtMillis) {
        this.stored = stored;
        this.visibleAtMillis = visibleAtMillis;
    }

    static Message restored(StoredMessage stored, StoredDelivery delivery) {
        Message message = new Message(stored, delivery.visibleAtMillis());
        message.receiveCount = delivery.receiveCount();
        message.firstReceiveMillis = delivery.firstReceiveMillis();
        message.lastReceiveMillis = delivery.lastReceiveMillis();
        return message;
    }

    String id() {
        return stored.messageId();
    }

    /** The MessageGroupId, or null. */
    String group() {
        return stored.messageGroupId();
    }

    StoredDelivery delivery() {
        return new StoredDelivery(
                stored.queueId(),
                stored.messageId(),
                visibleAtMillis,
                receiveCount,
                firstReceiveMillis,
                lastReceiveMillis);
    }

    ReceiptHandle receiptHandle() {
        return new ReceiptHandle(stored.queueId(), stored.messageId(), receiveCount, lastReceiveMillis);
    }

    String md5OfBody() {
        if (md5OfBody == null) {
            md5OfBody = MessageDigests.ofBody(stored.body());
        }
        return md5OfBody;
    }

    String md5OfAttributes() {
        if (md5OfAttributes == null && !stored.messageAttributes().isEmpty()) {
            md5OfAttributes = MessageDigests.ofAttributes(stored.messageAttributes());
        }
        return md5OfAttributes;
    }

    /** A snapshot for the caller of the receive that just claimed this message. */
    ReceivedMessage received() {
        return new ReceivedMessage(
                stored,
                receiptHandle().encode(),
                md5OfBody(),
                md5OfAttributes(),
                receiveCount,
                Instant.ofEpochMilli(firstReceiveMillis));
    }
}
