package dev.sluice.store.journal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Where the current record of every live thing is in the journal, and how many live bytes each segment holds. It is
 * what compaction consults (a record is copied forward only if it is still the current one) and what decides when
 * compaction is worth doing. Only the journal's writer thread touches it (and the opening scan before that thread).
 *
 * <p>Messages have two records, the message and its delivery state; a delivery record may be met before its message
 * record while the journal is read (compaction copied the message forward past a later delivery), so the opening scan
 * keeps deliveries of messages not yet seen and drops those still without a message at the end ({@link
 * #dropDeliveriesWithoutMessage}).
 */
final class JournalIndex {

    /** One record's place: segment, offset in it, length. {@code value} holds the decoded record during the opening scan. */
    static final class Slot {
        /** Segment and offset in one word, so a reader on another thread never sees half of a relocation. */
        private volatile long location;

        final int length;
        Object value;

        Slot(int segment, int offset, int length) {
            this.location = pack(segment, offset);
            this.length = length;
        }

        int segment() {
            return (int) (location >>> 32);
        }

        int offset() {
            return (int) location;
        }

        long location() {
            return location;
        }

        boolean isAt(int segment, int offset) {
            return location == pack(segment, offset);
        }

        void moveTo(int segment, int offset) {
            location = pack(segment, offset);
        }

        static long location(int segment, int offset) {
            return pack(segment, offset);
        }

        static int segment(long location) {
            return (int) (location >>> 32);
        }

        static int offset(long location) {
            return (int) location;
        }

        private static long pack(int segment, int offset) {
            return ((long) segment << 32) | (offset & 0xffffffffL);
        }
    }

    /** Read by any thread ({@link JournalStore#readBody}); written by the writer only. */
    static final class MessageSlots {
        volatile Slot message;
        volatile Slot delivery;
    }

    static final class QueueSlots {
        volatile Slot queue;
        /** Concurrent: bodies are looked up here from request threads. */
        final Map<String, MessageSlots> messages = new ConcurrentHashMap<>();

        final Map<String, Slot> deduplications = new LinkedHashMap<>();
    }

    /** Concurrent: bodies are looked up here from request threads. */
    final Map<String, QueueSlots> queues = new ConcurrentHashMap<>();

    final Map<String, Slot> moveTasks = new LinkedHashMap<>();
    final Map<String, Slot> tenants = new LinkedHashMap<>();
    final Map<String, Slot> accessKeys = new LinkedHashMap<>();
    private final Map<Integer, long[]> liveBytesBySegment = new HashMap<>();
    private long liveBytes;
    /** The queue of the last message record: consecutive records are mostly of one queue (saves a lookup each). */
    private String lastQueueId;

    private QueueSlots lastQueue;
    /** Delivery states met before their message while opening; at least this many (a deleted queue's stay counted). */
    private long deliveriesWithoutMessage;

    private QueueSlots queueSlots(String queueId) {
        if (!queueId.equals(lastQueueId)) {
            lastQueue = queues.computeIfAbsent(queueId, id -> new QueueSlots());
            lastQueueId = queueId;
        }
        return lastQueue;
    }

    long liveBytes() {
        return liveBytes;
    }

    /** Calls {@code each} with every segment that holds (or held) live records, and their bytes. */
    void forEachSegmentLiveBytes(BiConsumer<Integer, Long> each) {
        liveBytesBySegment.forEach((segment, bytes) -> each.accept(segment, bytes[0]));
    }

    void forgetSegment(int segment) {
        liveBytesBySegment.remove(segment);
    }

    // ---- changes, in journal order

    void putQueue(String queueId, Slot slot) {
        QueueSlots queue = queues.computeIfAbsent(queueId, id -> new QueueSlots());
        queue.queue = replace(queue.queue, slot);
    }

    void deleteQueue(String queueId) {
        QueueSlots queue = queues.remove(queueId);
        lastQueueId = null;
        lastQueue = null;
        if (queue == null) {
            return;
        }
        release(queue.queue);
        for (MessageSlots message : queue.messages.values()) {
            release(message.message);
            release(message.delivery);
        }
        queue.deduplications.values().forEach(this::release);
    }

    void putMessage(String queueId, String messageId, Slot slot) {
        MessageSlots message = queueSlots(queueId).messages.computeIfAbsent(messageId, id -> new MessageSlots());
        if (message.message == null && message.delivery != null) {
            deliveriesWithoutMessage--;
        }
        message.message = replace(message.message, slot);
    }

    /**
     * Records a delivery state. While the journal is being read ({@code opening}), one for a message not yet seen is
     * kept; afterwards it belongs to a message already deleted and is ignored. Returns whether it was kept.
     */
    boolean putDelivery(String queueId, String messageId, Slot slot, boolean opening) {
        QueueSlots queue = opening ? queueSlots(queueId) : queues.get(queueId);
        if (queue == null) {
            return false;
        }
        MessageSlots message = opening
                ? queue.messages.computeIfAbsent(messageId, id -> new MessageSlots())
                : queue.messages.get(messageId);
        if (message == null || (!opening && message.message == null)) {
            return false;
        }
        if (message.message == null && message.delivery == null) {
            deliveriesWithoutMessage++;
        }
        message.delivery = replace(message.delivery, slot);
        return true;
    }

    void deleteMessages(String queueId, List<String> messageIds) {
        QueueSlots queue = queues.get(queueId);
        if (queue == null) {
            return;
        }
        for (String messageId : messageIds) {
            MessageSlots message = queue.messages.remove(messageId);
            if (message != null && message.message == null && message.delivery != null) {
                deliveriesWithoutMessage--;
            }
            if (message != null) {
                release(message.message);
                release(message.delivery);
            }
        }
    }

    void putDeduplication(String queueId, String key, Slot slot) {
        QueueSlots queue = queues.computeIfAbsent(queueId, id -> new QueueSlots());
        queue.deduplications.put(key, replace(queue.deduplications.get(key), slot));
    }

    void deleteDeduplications(String queueId, List<String> keys) {
        QueueSlots queue = queues.get(queueId);
        if (queue != null) {
            keys.forEach(key -> release(queue.deduplications.remove(key)));
        }
    }

    void put(Map<String, Slot> slots, String id, Slot slot) {
        slots.put(id, replace(slots.get(id), slot));
    }

    void remove(Map<String, Slot> slots, String id) {
        release(slots.remove(id));
    }

    /** After the opening scan: forgets delivery states whose message record never came (their message was deleted). */
    void dropDeliveriesWithoutMessage() {
        if (deliveriesWithoutMessage == 0) {
            return;
        }
        deliveriesWithoutMessage = 0;
        for (QueueSlots queue : queues.values()) {
            Iterator<MessageSlots> messages = queue.messages.values().iterator();
            while (messages.hasNext()) {
                MessageSlots message = messages.next();
                if (message.message == null) {
                    release(message.delivery);
                    messages.remove();
                }
            }
        }
    }

    // ---- compaction

    /**
     * The slot of the live record written at {@code segment}/{@code offset}, or null when that record has been
     * superseded or deleted. {@code ids} are the record's leading strings (see {@link JournalFormat}).
     */
    Slot current(byte type, String[] ids, int segment, int offset) {
        Slot slot = switch (type) {
            case JournalFormat.QUEUE -> {
                QueueSlots queue = queues.get(ids[0]);
                yield queue == null ? null : queue.queue;
            }
            case JournalFormat.MESSAGE,
                    JournalFormat.DELIVERY,
                    JournalFormat.PAGED_MESSAGE,
                    JournalFormat.PAGED_DELIVERY -> {
                QueueSlots queue = queues.get(ids[0]);
                MessageSlots message = queue == null ? null : queue.messages.get(ids[1]);
                boolean isMessage = type == JournalFormat.MESSAGE || type == JournalFormat.PAGED_MESSAGE;
                yield message == null ? null : isMessage ? message.message : message.delivery;
            }
            case JournalFormat.DEDUPLICATION -> {
                QueueSlots queue = queues.get(ids[0]);
                yield queue == null ? null : queue.deduplications.get(ids[1]);
            }
            case JournalFormat.MOVE_TASK -> moveTasks.get(ids[0]);
            case JournalFormat.TENANT -> tenants.get(ids[0]);
            case JournalFormat.ACCESS_KEY -> accessKeys.get(ids[0]);
            default -> null; // deletions: once every older segment is gone, they delete nothing
        };
        return slot != null && slot.isAt(segment, offset) ? slot : null;
    }

    /** How many leading strings identify a record of this type (0: a deletion, never copied). */
    static int idCount(byte type) {
        return switch (type) {
            case JournalFormat.MESSAGE,
                    JournalFormat.DELIVERY,
                    JournalFormat.DEDUPLICATION,
                    JournalFormat.PAGED_MESSAGE,
                    JournalFormat.PAGED_DELIVERY,
                    JournalFormat.PAGE_OUT -> 2;
            case JournalFormat.QUEUE, JournalFormat.MOVE_TASK, JournalFormat.TENANT, JournalFormat.ACCESS_KEY -> 1;
            default -> 0;
        };
    }

    /** Moves a live record to where compaction copied it. */
    void relocate(Slot slot, int segment, int offset) {
        add(slot.segment(), -slot.length);
        slot.moveTo(segment, offset);
        add(segment, slot.length);
    }

    private Slot replace(Slot old, Slot slot) {
        release(old);
        add(slot.segment(), slot.length);
        return slot;
    }

    /** Counts a record that something besides the index keeps live (a page's record, a page's messages). */
    void hold(Slot slot) {
        add(slot.segment(), slot.length);
    }

    void release(Slot slot) {
        if (slot != null) {
            add(slot.segment(), -slot.length);
        }
    }

    /** Counts (or, negative, uncounts) live bytes that no slot holds: the records of paged messages. */
    void add(int segment, long bytes) {
        liveBytesBySegment.computeIfAbsent(segment, s -> new long[1])[0] += bytes;
        liveBytes += bytes;
    }
}
