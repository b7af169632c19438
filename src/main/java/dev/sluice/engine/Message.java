package dev.sluice.engine;

import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.MessageDigests;
import dev.sluice.queues.rules.ReceiptHandle;
import dev.sluice.queues.rules.SequenceNumbers;
import dev.sluice.store.Store;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * A message in the engine's memory: what was sent, plus its delivery state, which only its queue's lock changes. When
 * the store reads bodies back ({@link Store#readsBodiesBack()}), a committed message drops its body ({@link
 * #releaseBody}) and it is read back from the store on receive or move: a backlog then costs memory per message, not
 * per byte of body.
 */
final class Message {
    /** Orders the not-yet-visible messages by when they become visible; the sequence breaks ties. */
    static final Comparator<Message> BY_VISIBLE_AT = (a, b) -> {
        int byTime = Long.compare(a.visibleAtMillis, b.visibleAtMillis);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    };

    /** Orders messages by age for retention: enqueue time, then sequence. */
    static final Comparator<Message> BY_AGE = (a, b) -> {
        int byTime = Long.compare(a.enqueuedMillis, b.enqueuedMillis);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    };

    /** Copies of {@code stored}'s, read by the comparators of every index insert (a plain field, not a volatile). */
    final long sequence;

    final long enqueuedMillis;

    /** Replaced only by a body-less copy of itself (same fields otherwise), so readers without the lock are safe. */
    volatile StoredMessage stored;

    long visibleAtMillis;
    int receiveCount;
    long firstReceiveMillis;
    long lastReceiveMillis;
    /** What it is charged in the {@link MemoryBudget}, set when it is first added to a queue (0: not yet). */
    int footprint;
    /**
     * Its delivery state is still the one stored with it (no receive, visibility change or undone receive since): only
     * such a message may be paged, as a page keeps the stored state ({@link QueuePages}).
     */
    boolean pristine;

    private String md5OfBody;
    private String md5OfAttributes;

    Message(StoredMessage stored, long visibleAtMillis) {
        this.stored = stored;
        this.sequence = stored.sequence();
        this.enqueuedMillis = stored.enqueuedMillis();
        this.visibleAtMillis = visibleAtMillis;
    }

    /** A stand-in that only has a place in {@link #BY_AGE}, to start a walk of the messages after it. */
    static Message probe(long enqueuedMillis, long sequence) {
        return new Message(
                new StoredMessage(
                        null, null, sequence, null, Map.of(), Map.of(), null, 0, enqueuedMillis, null, null, null),
                0);
    }

    static Message restored(StoredMessage stored, StoredDelivery delivery) {
        Message message = new Message(stored, delivery.visibleAtMillis());
        message.receiveCount = delivery.receiveCount();
        message.firstReceiveMillis = delivery.firstReceiveMillis();
        message.lastReceiveMillis = delivery.lastReceiveMillis();
        // A later PutDelivery may have stored this state, which a page would not keep: only never received ones.
        message.pristine = delivery.receiveCount() == 0;
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

    /** The MD5 of the body; only for a message that still holds its body (one just sent or moved). */
    String md5OfBody() {
        return md5OfBody(stored.body());
    }

    private String md5OfBody(String body) {
        if (md5OfBody == null) {
            md5OfBody = MessageDigests.ofBody(body);
        }
        return md5OfBody;
    }

    /** Drops the body, keeping its MD5; the store must be able to read it back ({@link Store#readsBodiesBack()}). */
    void releaseBody() {
        StoredMessage current = stored;
        if (current.body() != null) {
            md5OfBody();
            stored = current.withoutBody();
        }
    }

    /** What was sent, body included, read back from the store if this message dropped it. */
    StoredMessage withBody(Store store) {
        StoredMessage current = stored;
        return current.body() != null ? current : current.withBody(body(current, store));
    }

    private static String body(StoredMessage current, Store store) {
        if (current.body() != null) {
            return current.body();
        }
        String body = store.readBody(current.queueId(), current.messageId());
        if (body == null) {
            throw new IllegalStateException("the body of message " + current.messageId() + " is not in the store");
        }
        return body;
    }

    String md5OfAttributes() {
        if (md5OfAttributes == null && !stored.messageAttributes().isEmpty()) {
            md5OfAttributes = MessageDigests.ofAttributes(stored.messageAttributes());
        }
        return md5OfAttributes;
    }

    /** A snapshot for the caller of the receive that just claimed this message. */
    ReceivedMessage received(Store store, String region) {
        StoredMessage current = stored;
        String body = body(current, store);
        String deduplicationId = current.messageDeduplicationId();
        String deadLetterSource = current.deadLetterSourceQueue();
        return new ReceivedMessage(
                current.messageId(),
                receiptHandle().encode(),
                body,
                md5OfBody(body),
                current.messageAttributes(),
                md5OfAttributes(),
                current.systemAttributes(),
                current.senderId(),
                Instant.ofEpochMilli(current.sentMillis()),
                receiveCount,
                Instant.ofEpochMilli(firstReceiveMillis),
                current.messageGroupId(),
                deduplicationId,
                // Only FIFO messages have a deduplication id, and only they carry a SequenceNumber.
                deduplicationId == null ? null : SequenceNumbers.format(current.sequence()),
                deadLetterSource == null ? null : StoredNames.deadLetterSource(region, deadLetterSource));
    }
}
