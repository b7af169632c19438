package dev.sluice.store.journal;

import dev.sluice.store.RecordCodec;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredMoveTask;
import dev.sluice.store.StoredQueue;
import dev.sluice.store.StoredTenant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Logger;

/**
 * Reads the journal at start: every segment in order, every record applied to the index, a torn last frame cut off.
 * Two threads share the work, because a restart with a large backlog is mostly this: a reader thread reads frames,
 * checks them and decodes their records; the calling thread applies the decoded records to the index in journal order.
 */
final class JournalReplay {
    private static final Logger LOG = Logger.getLogger(JournalReplay.class.getName());
    private static final int BATCH = 2048;

    private final SegmentFiles files;
    private final JournalIndex index;
    private final JournalPages pages;
    private final boolean withBodies;
    /** The most messages the index held at once (after a batch), each with its decoded record. */
    private long peakMessages;
    /** Records applied (those after the checkpoint, when the replay starts from one). */
    private long records;
    /** The reader thread's: queue and sender ids shared by the messages it decodes. */
    private final SharedStrings strings = new SharedStrings();
    /** Where the replay starts (a checkpoint's position), or null: the first segment's start. */
    private Checkpoint.Position from;

    /** One decoded record; {@code value} is the record (its slot holds it too) or the ids a deletion names. */
    private record Decoded(byte type, JournalIndex.Slot slot, Object value) {}

    /** The end of one segment's valid frames. */
    private record SegmentEnd(int segment, long validBytes, boolean torn, boolean last) {}

    /** What the reader failed with. */
    private record Failure(RuntimeException error) {}

    private static final Object DONE = new Object();

    JournalReplay(SegmentFiles files, JournalIndex index, JournalPages pages, boolean withBodies) {
        this.files = files;
        this.index = index;
        this.pages = pages;
        this.withBodies = withBodies;
    }

    /** Replays every segment; returns whether there was any. */
    boolean run() throws IOException {
        return run(null);
    }

    /**
     * Replays the journal from {@code from} (a checkpoint's position, its state already in the index; null: from the
     * first segment); the segments before it are opened unread. Returns whether there was any segment.
     */
    boolean run(Checkpoint.Position from) throws IOException {
        List<Integer> segments = files.existingSegments();
        if (segments.isEmpty()) {
            return false;
        }
        if (from != null) {
            List<Integer> before =
                    segments.stream().filter(s -> s < from.segment()).toList();
            for (int segment : before) {
                files.openExisting(segment, java.nio.file.Files.size(files.path(segment)), false);
            }
            segments = segments.subList(before.size(), segments.size());
            this.from = from;
        }
        // A few batches ahead at most: what waits here is decoded records on top of the state being rebuilt.
        BlockingQueue<Object> handoff = new ArrayBlockingQueue<>(16);
        List<Integer> tail = segments;
        Thread reader =
                Thread.ofPlatform().name("sluice-journal-replay").daemon().start(() -> read(tail, handoff));
        try {
            while (true) {
                Object next = handoff.take();
                if (next == DONE) {
                    break;
                }
                switch (next) {
                    case List<?> batch -> {
                        batch.forEach(decoded -> apply((Decoded) decoded));
                        countMessages();
                    }
                    case SegmentEnd end -> finish(end);
                    case Failure failure -> throw failure.error();
                    default -> throw new IllegalStateException("unexpected " + next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the journal", e);
        } finally {
            reader.interrupt();
        }
        return true;
    }

    private void countMessages() {
        long messages = 0;
        for (JournalIndex.QueueSlots queue : index.queues.values()) {
            messages += queue.messages.size();
        }
        peakMessages = Math.max(peakMessages, messages);
    }

    /** The most messages the index held at once while replaying (paged ones leave it at their PAGE_OUT). */
    long peakMessages() {
        return peakMessages;
    }

    /** The records the replay read and applied. */
    long records() {
        return records;
    }

    private void finish(SegmentEnd end) throws IOException {
        if (end.torn()) {
            if (!end.last()) {
                throw new IllegalStateException("journal segment " + files.path(end.segment()) + " is damaged at byte "
                        + end.validBytes() + " (only the last segment can end in a torn write)");
            }
            LOG.warning("journal segment " + files.path(end.segment()) + ": cutting a torn write at byte "
                    + end.validBytes() + " (a commit interrupted by a crash, never acknowledged)");
        }
        files.openExisting(end.segment(), end.validBytes(), end.last());
    }

    // ---- the reader thread

    private void read(List<Integer> segments, BlockingQueue<Object> handoff) {
        try {
            for (int i = 0; i < segments.size(); i++) {
                int segment = segments.get(i);
                List<Decoded> batch = new ArrayList<>(BATCH);
                long start = i == 0 && from != null ? from.offset() : 0;
                try (SegmentFiles.FrameReader reader = new SegmentFiles.FrameReader(files.path(segment), start)) {
                    long frameOffset = start;
                    byte[] frame;
                    while ((frame = reader.next()) != null) {
                        decode(frame, segment, frameOffset, batch);
                        frameOffset = reader.position();
                        if (batch.size() >= BATCH) {
                            handoff.put(batch);
                            batch = new ArrayList<>(BATCH);
                        }
                    }
                    handoff.put(batch);
                    handoff.put(new SegmentEnd(segment, reader.position(), reader.torn(), i == segments.size() - 1));
                }
            }
            handoff.put(DONE);
        } catch (InterruptedException e) {
            // The applying side gave up (it failed); nothing more to do.
        } catch (IOException e) {
            offer(handoff, new Failure(new UncheckedIOException("cannot read the journal", e)));
        } catch (RuntimeException e) {
            offer(handoff, new Failure(e));
        }
    }

    private static void offer(BlockingQueue<Object> handoff, Failure failure) {
        try {
            handoff.put(failure);
        } catch (InterruptedException ignored) {
            // The applying side is gone.
        }
    }

    private void decode(byte[] frame, int segment, long frameOffset, List<Decoded> into) {
        int offset = JournalFormat.FRAME_HEADER_BYTES;
        while (offset < frame.length) {
            byte type = frame[offset];
            int bodyLength = JournalFormat.getInt(frame, offset + 1);
            int length = JournalFormat.RECORD_HEADER_BYTES + bodyLength;
            int bodyOffset = offset + JournalFormat.RECORD_HEADER_BYTES;
            JournalIndex.Slot slot = new JournalIndex.Slot(segment, (int) (frameOffset + offset), length);
            Object value = switch (type) {
                case JournalFormat.MESSAGE ->
                    RecordCodec.decodeMessage(frame, bodyOffset, bodyLength, withBodies, strings::share);
                case JournalFormat.QUEUE -> RecordCodec.decodeQueue(JournalFormat.recordBody(frame, offset));
                case JournalFormat.DELIVERY -> RecordCodec.decodeDelivery(JournalFormat.recordBody(frame, offset));
                case JournalFormat.DEDUPLICATION ->
                    RecordCodec.decodeDeduplication(JournalFormat.recordBody(frame, offset));
                case JournalFormat.MOVE_TASK -> RecordCodec.decodeMoveTask(JournalFormat.recordBody(frame, offset));
                case JournalFormat.TENANT -> RecordCodec.decodeTenant(JournalFormat.recordBody(frame, offset));
                case JournalFormat.ACCESS_KEY -> RecordCodec.decodeAccessKey(JournalFormat.recordBody(frame, offset));
                case JournalFormat.DELETE_QUEUE, JournalFormat.DELETE_TENANT, JournalFormat.DELETE_ACCESS_KEY ->
                    RecordCodec.decodeString(JournalFormat.recordBody(frame, offset));
                case JournalFormat.DELETE_MESSAGES, JournalFormat.DELETE_DEDUPLICATIONS, JournalFormat.DROP_PAGES ->
                    RecordCodec.decodeList(JournalFormat.recordBody(frame, offset));
                case JournalFormat.PAGE_OUT -> PageRecords.decodePageOut(frame, bodyOffset, bodyLength);
                case JournalFormat.PAGE_IN -> PageRecords.decodePageIn(frame, bodyOffset, bodyLength);
                // Left to the page that holds them; the message's queue and sequence say which page.
                case JournalFormat.PAGED_MESSAGE ->
                    RecordCodec.decodeMessage(frame, bodyOffset, bodyLength, false, strings::share);
                case JournalFormat.PAGED_DELIVERY -> null;
                default ->
                    throw new IllegalStateException("journal segment " + segment
                            + " holds a record of unknown type " + type + " at byte " + (frameOffset + offset)
                            + " (written by a newer Sluice?)");
            };
            into.add(new Decoded(type, slot, value));
            offset += length;
        }
    }

    // ---- the applying thread

    private void apply(Decoded record) {
        records++;
        JournalIndex.Slot slot = record.slot();
        slot.value = record.value();
        switch (record.type()) {
            case JournalFormat.QUEUE -> index.putQueue(((StoredQueue) record.value()).queueId(), slot);
            case JournalFormat.DELETE_QUEUE -> {
                index.deleteQueue((String) record.value());
                pages.dropQueue((String) record.value());
            }
            case JournalFormat.MESSAGE -> {
                StoredMessage message = (StoredMessage) record.value();
                index.putMessage(message.queueId(), message.messageId(), slot);
            }
            case JournalFormat.DELIVERY -> {
                StoredDelivery delivery = (StoredDelivery) record.value();
                // Kept as its numbers alone: the ids are the message's (see DeliveryState).
                slot.value = DeliveryState.of(delivery);
                index.putDelivery(delivery.queueId(), delivery.messageId(), slot, true);
            }
            case JournalFormat.DELETE_MESSAGES -> {
                List<?> list = (List<?>) record.value();
                index.deleteMessages((String) list.get(0), strings(list.subList(1, list.size())));
            }
            case JournalFormat.DEDUPLICATION -> {
                StoredDeduplication dedup = (StoredDeduplication) record.value();
                index.putDeduplication(dedup.queueId(), dedup.key(), slot);
            }
            case JournalFormat.DELETE_DEDUPLICATIONS -> {
                List<?> list = (List<?>) record.value();
                index.deleteDeduplications((String) list.get(0), strings(list.subList(1, list.size())));
            }
            case JournalFormat.MOVE_TASK ->
                index.put(index.moveTasks, ((StoredMoveTask) record.value()).taskHandle(), slot);
            case JournalFormat.TENANT -> index.put(index.tenants, ((StoredTenant) record.value()).accountId(), slot);
            case JournalFormat.DELETE_TENANT -> index.remove(index.tenants, (String) record.value());
            case JournalFormat.ACCESS_KEY ->
                index.put(index.accessKeys, ((StoredAccessKey) record.value()).accessKeyId(), slot);
            case JournalFormat.DELETE_ACCESS_KEY -> index.remove(index.accessKeys, (String) record.value());
            case JournalFormat.PAGE_OUT -> {
                slot.value = null;
                pages.replayPageOut((PageRecords.PageOut) record.value(), slot);
            }
            case JournalFormat.PAGE_IN -> pages.replayPageIn((PageRecords.PageIn) record.value());
            case JournalFormat.DROP_PAGES -> {
                List<?> list = (List<?>) record.value();
                pages.drop((String) list.get(0), strings(list.subList(1, list.size())));
            }
            case JournalFormat.PAGED_MESSAGE -> {
                // A copy compaction made for a page: the page points at it (or, if the crash came before, at the
                // original); its bytes are counted from its file.
                StoredMessage message = (StoredMessage) record.value();
                slot.value = null;
                pages.replayPagedCopy(message.queueId(), message.sequence());
            }
            case JournalFormat.PAGED_DELIVERY -> {
                // The delivery stored with a paged copy: the page holds it with its message.
            }
            default -> throw new IllegalStateException("unknown record type " + record.type());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(List<?> values) {
        return (List<String>) values;
    }
}
