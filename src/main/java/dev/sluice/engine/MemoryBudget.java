package dev.sluice.engine;

import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.store.StoredMessage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The heap the queued messages' state may take, all queues together ({@code sluice.memory.max-index}): a send is
 * refused while it is spent, so the server never accepts a backlog that its next start could not load. Each message
 * is charged an estimate of what it holds ({@link #footprint}) when it is added to a queue and given back when it
 * leaves; a send only reads the total (no allocation, no lock). The total may pass the budget by what the sends in
 * progress add, which is why the default leaves headroom (README, Configuration).
 */
final class MemoryBudget {
    private static final Logger LOG = Logger.getLogger(MemoryBudget.class.getName());
    /** The setting that sets the budget, named in the refusal and the log. */
    static final String SETTING = "sluice.memory.max-index";

    /**
     * Heap per message without attributes, engine and journal index together, with its ids and MD5: measured 580-600
     * bytes with bench/heap (bench/notes.md), rounded up.
     */
    static final int MESSAGE_BYTES = 640;
    /** A String's header and array header; its characters come on top (one byte each for Latin-1). */
    private static final int STRING_BYTES = 40;
    /** A map entry with its attribute record. */
    private static final int ATTRIBUTE_BYTES = 96;

    private final long maxBytes;
    /** The engine keeps bodies in memory (the store cannot read them back): they count too. */
    private final boolean bodiesInMemory;

    private final AtomicLong usedBytes = new AtomicLong();
    /** Above this the pager is woken ({@link #pageAbove}); never without one. */
    private long pageAboveBytes = Long.MAX_VALUE;

    private Runnable pager = () -> {};
    /** Whether sends are being refused: the log says so once when it starts and once when it ends. */
    private volatile boolean refusing;

    MemoryBudget(long maxBytes, boolean bodiesInMemory) {
        this.maxBytes = maxBytes;
        this.bodiesInMemory = bodiesInMemory;
    }

    /**
     * With a store that pages: a message added past {@code highWaterBytes} (sent, moved, paged in) wakes the pager,
     * which pages ready messages out off the caller's thread and gives their memory back. Set once, before the first
     * message.
     */
    void pageAbove(long highWaterBytes, Runnable wakePager) {
        this.pageAboveBytes = highWaterBytes;
        this.pager = wakePager;
    }

    /** Refuses a send (RequestThrottled, which the SDKs retry) while the budget is spent. */
    void requireRoom() {
        long used = usedBytes.get();
        if (used < maxBytes) {
            if (refusing) {
                refusing = false;
                LOG.info("accepting sends again: queued messages hold " + size(usedBytes.get()) + " of the "
                        + size(maxBytes) + " of " + SETTING);
            }
            return;
        }
        if (!refusing) {
            refusing = true;
            LOG.warning("refusing sends: queued messages hold " + size(usedBytes.get()) + ", the limit " + SETTING
                    + " is " + size(maxBytes) + "; receive and delete messages, or raise the limit with the heap"
                    + " (-Xmx)");
        }
        throw new QueueException(
                QueueError.MEMORY_FULL,
                "The server's memory for queued messages is full (" + SETTING + "); retry once messages are"
                        + " received and deleted.");
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    /** What a message holds in memory: the measured base, its strings and attributes, its body when kept. */
    int footprint(StoredMessage message) {
        long bytes = MESSAGE_BYTES
                + attributesBytes(message.messageAttributes())
                + attributesBytes(message.systemAttributes())
                + stringBytes(message.messageGroupId())
                + stringBytes(message.messageDeduplicationId())
                + stringBytes(message.deadLetterSourceQueue());
        if (bodiesInMemory) {
            bytes += stringBytes(message.body());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long attributesBytes(Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return 0;
        }
        long bytes = 0;
        for (Map.Entry<String, MessageAttribute> entry : attributes.entrySet()) {
            MessageAttribute value = entry.getValue();
            bytes += ATTRIBUTE_BYTES + stringBytes(entry.getKey()) + stringBytes(value.dataType());
            bytes += value.binaryValue() != null
                    ? STRING_BYTES + value.binaryValue().length
                    : stringBytes(value.stringValue());
        }
        return bytes;
    }

    private static long stringBytes(String value) {
        // Non-Latin-1 strings take two bytes a character; counted as two for all, an estimate on the safe side.
        return value == null ? 0 : STRING_BYTES + 2L * value.length();
    }

    void add(long bytes) {
        if (usedBytes.addAndGet(bytes) >= pageAboveBytes && bytes > 0) {
            pager.run();
        }
    }

    long usedBytes() {
        return usedBytes.get();
    }

    long maxBytes() {
        return maxBytes;
    }
}
