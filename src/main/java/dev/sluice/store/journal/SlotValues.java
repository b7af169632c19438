package dev.sluice.store.journal;

import dev.sluice.store.RecordCodec;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * After a start from a checkpoint: reads the value of every slot that has none (the checkpoint gave its place only) from
 * the journal, on two threads, a segment at a time each. The slots are sorted by place, so each segment is read forward
 * through one window (the live records of a
 * backlog are most of the journal: reading them in order costs about one sequential pass, not a seek each). Messages
 * are decoded without their bodies unless the engine keeps bodies; deliveries are kept as {@link DeliveryState}, as the
 * replay keeps them.
 */
final class SlotValues {
    private static final int WINDOW_BYTES = 4 << 20;

    private final SegmentFiles files;
    private final boolean withBodies;
    private final SharedStrings strings = new SharedStrings();
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
    private long windowStart;
    private int windowLength;

    private SlotValues(SegmentFiles files, boolean withBodies) {
        this.files = files;
        this.withBodies = withBodies;
    }

    /** Fills in the values of {@code index}'s slots that have none; returns how many it read. */
    static long read(SegmentFiles files, JournalIndex index, boolean withBodies) throws IOException {
        Map<Integer, List<JournalIndex.Slot>> bySegment = new TreeMap<>();
        for (JournalIndex.QueueSlots queue : index.queues.values()) {
            collect(queue.queue, bySegment);
            for (JournalIndex.MessageSlots message : queue.messages.values()) {
                collect(message.message, bySegment);
                collect(message.delivery, bySegment);
            }
            queue.deduplications.values().forEach(slot -> collect(slot, bySegment));
        }
        index.moveTasks.values().forEach(slot -> collect(slot, bySegment));
        index.tenants.values().forEach(slot -> collect(slot, bySegment));
        index.accessKeys.values().forEach(slot -> collect(slot, bySegment));
        // Two threads, a segment at a time each (as the whole-journal replay uses two): each its own window.
        Queue<Map.Entry<Integer, List<JournalIndex.Slot>>> segments = new ConcurrentLinkedQueue<>(bySegment.entrySet());
        Callable<Long> reader = () -> {
            SlotValues values = new SlotValues(files, withBodies);
            long read = 0;
            Map.Entry<Integer, List<JournalIndex.Slot>> segment;
            while ((segment = segments.poll()) != null) {
                values.readSegment(segment.getKey(), segment.getValue());
                read += segment.getValue().size();
            }
            return read;
        };
        FutureTask<Long> other = new FutureTask<>(reader);
        Thread.ofPlatform().name("sluice-journal-read-back").daemon().start(other);
        try {
            long read = reader.call();
            return read + other.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot read the journal", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the journal", e);
        } catch (IOException | RuntimeException e) {
            other.cancel(true);
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the journal", e);
        }
    }

    private static void collect(JournalIndex.Slot slot, Map<Integer, List<JournalIndex.Slot>> bySegment) {
        if (slot != null && slot.value == null) {
            bySegment.computeIfAbsent(slot.segment(), s -> new ArrayList<>()).add(slot);
        }
    }

    private void readSegment(int segment, List<JournalIndex.Slot> slots) throws IOException {
        // Offset and list position in one long each: a primitive sort, no comparator over a million objects.
        long[] order = new long[slots.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = ((long) slots.get(i).offset() << 32) | i;
        }
        Arrays.sort(order);
        windowLength = 0;
        try (FileChannel channel = FileChannel.open(files.path(segment), StandardOpenOption.READ)) {
            for (long key : order) {
                JournalIndex.Slot slot = slots.get((int) key);
                slot.value = decode(channel, slot);
            }
        }
    }

    private Object decode(FileChannel channel, JournalIndex.Slot slot) throws IOException {
        long offset = slot.offset();
        byte[] bytes;
        int at;
        if (slot.length > WINDOW_BYTES) {
            bytes = new byte[slot.length];
            readFully(channel, ByteBuffer.wrap(bytes), offset);
            at = 0;
        } else {
            if (offset < windowStart || offset + slot.length > windowStart + windowLength) {
                window.clear();
                windowStart = offset;
                windowLength = readWindow(channel, offset, slot.length);
            }
            bytes = window.array();
            at = (int) (offset - windowStart);
        }
        byte type = bytes[at];
        int bodyLength = JournalFormat.getInt(bytes, at + 1);
        int body = at + JournalFormat.RECORD_HEADER_BYTES;
        return switch (type) {
            case JournalFormat.MESSAGE ->
                RecordCodec.decodeMessage(bytes, body, bodyLength, withBodies, strings::share);
            case JournalFormat.DELIVERY ->
                DeliveryState.of(RecordCodec.decodeDelivery(Arrays.copyOfRange(bytes, body, body + bodyLength)));
            default -> JournalStore.decodeLive(type, Arrays.copyOfRange(bytes, body, body + bodyLength), withBodies);
        };
    }

    /** Fills the window from {@code offset}, as far as the segment goes; at least {@code needed} bytes. */
    private int readWindow(FileChannel channel, long offset, int needed) throws IOException {
        while (window.position() < needed) {
            if (channel.read(window, offset + window.position()) < 0) {
                throw new EOFException(
                        "journal segment ends before a record a checkpoint points at (offset " + offset + ")");
            }
        }
        // Read on while the file has more, up to the window's size, so the next records are there.
        while (window.hasRemaining()) {
            if (channel.read(window, offset + window.position()) <= 0) {
                break;
            }
        }
        return window.position();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new EOFException(
                        "journal segment ends before a record a checkpoint points at (offset " + offset + ")");
            }
        }
    }
}
