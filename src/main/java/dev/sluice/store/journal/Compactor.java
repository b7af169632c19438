package dev.sluice.store.journal;

import dev.sluice.store.RecordCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Reclaims the journal's space, one segment at a time, always the oldest. It reads the oldest segment frame by frame
 * and copies each record that is still current ({@link JournalIndex#current}) to the head, in the writer's normal
 * order; everything else there is dead (superseded, deleted, or a deletion whose targets are all in that segment or
 * gone). After the copies are synced the segment file is deleted.
 *
 * <p>A message record a live page holds ({@link JournalPages#held}) is live too: it is copied with the delivery record
 * stored right after it, both marked as paged ({@link JournalFormat#PAGED_MESSAGE}) so a replay leaves them to the
 * page, and the page is pointed at the copy once it is synced. A page's PAGE_OUT record is live while the page is.
 *
 * <p>Why the oldest only: a deletion record then never needs to outlive the segment it is in, because every record
 * it could delete sits in that segment or an older one, all of which are gone by the time it is.
 */
final class Compactor {
    private static final Logger LOG = Logger.getLogger(Compactor.class.getName());
    /** Bytes of the old segment read per step, so a step adds little to the group commit it rides with. */
    private static final int STEP_BYTES = 1 << 20;

    private final SegmentFiles files;
    private final JournalIndex index;
    private final JournalPages pages;
    private final long minimumBytes;
    /**
     * Asked after a segment's copies are synced, before the segment is deleted: whether it may go now (a checkpoint
     * after the copies is durable: see Checkpoints); false: ask again after the next group.
     */
    private final BooleanSupplier mayDelete;

    private int segment = -1;
    private SegmentFiles.FrameReader reader;
    private boolean readToEnd;
    private long segmentsCompacted;

    /** Compaction starts once the journal holds more than {@code minimumBytes} and more than twice its live bytes. */
    Compactor(
            SegmentFiles files, JournalIndex index, JournalPages pages, long minimumBytes, BooleanSupplier mayDelete) {
        this.files = files;
        this.index = index;
        this.pages = pages;
        this.minimumBytes = minimumBytes;
        this.mayDelete = mayDelete;
    }

    boolean active() {
        return segment >= 0;
    }

    long segmentsCompacted() {
        return segmentsCompacted;
    }

    /** Picks the oldest segment when the journal has grown enough and is mostly dead. */
    void maybeStart() throws IOException {
        if (active()) {
            return;
        }
        if (files.segmentCount() < 2) {
            return;
        }
        long total = files.totalBytes();
        if (total <= minimumBytes || total <= 2 * index.liveBytes()) {
            return;
        }
        segment = files.oldestSegment();
        reader = new SegmentFiles.FrameReader(files.path(segment));
        readToEnd = false;
        pages.startCompacting(segment);
    }

    /**
     * Live records copied out of the old segment: the frame to append, the slots that must then point there and the
     * paged records, each with the number of its record in the frame.
     */
    record Copy(
            JournalFormat.Frame frame,
            List<JournalIndex.Slot> slots,
            List<Integer> slotRecords,
            List<JournalPages.Held> paged,
            List<Integer> pagedRecords) {}

    /**
     * Reads the next part of the segment and returns a frame of the live records found there, or null if none. Once
     * the frame is written at {@code headOffset} of segment {@code headId}, {@link #relocate} points the index there.
     */
    Copy step() throws IOException {
        if (!active() || readToEnd) {
            return null;
        }
        JournalFormat.FrameBuilder copy = new JournalFormat.FrameBuilder(64, 64 * 1024);
        List<JournalIndex.Slot> moved = new ArrayList<>();
        List<Integer> movedRecords = new ArrayList<>();
        List<JournalPages.Held> paged = new ArrayList<>();
        List<Integer> pagedRecords = new ArrayList<>();
        int records = 0;
        int read = 0;
        while (read < STEP_BYTES) {
            long frameOffset = reader.position();
            byte[] frame = reader.next();
            if (frame == null) {
                if (reader.torn()) {
                    LOG.warning("journal segment " + segment + " ends in an unreadable frame at " + frameOffset
                            + "; compacting what precedes it");
                }
                readToEnd = true;
                break;
            }
            read += frame.length;
            int offset = JournalFormat.FRAME_HEADER_BYTES;
            while (offset < frame.length) {
                byte type = frame[offset];
                int length = JournalFormat.RECORD_HEADER_BYTES + JournalFormat.getInt(frame, offset + 1);
                int idCount = JournalIndex.idCount(type);
                if (idCount > 0) {
                    String[] ids = RecordCodec.leadingStrings(JournalFormat.recordBody(frame, offset), idCount);
                    int at = (int) (frameOffset + offset);
                    JournalIndex.Slot slot = type == JournalFormat.PAGE_OUT
                            ? pages.record(ids[1], segment, at)
                            : index.current(type, ids, segment, at);
                    JournalPages.Held held = slot == null && isMessage(type)
                            ? pages.held(JournalIndex.Slot.location(segment, at))
                            : null;
                    if (slot != null) {
                        copy.addRetyped(indexedType(type), frame, offset, length);
                        moved.add(slot);
                        movedRecords.add(records++);
                    } else if (held != null) {
                        int deliveryLength = held.entry().length() - length;
                        int delivery = offset + length;
                        if (delivery + deliveryLength > frame.length
                                || JournalFormat.RECORD_HEADER_BYTES + JournalFormat.getInt(frame, delivery + 1)
                                        != deliveryLength) {
                            throw new IllegalStateException("journal segment " + segment + ": a page points at byte "
                                    + at + ", which is not a message record followed by its delivery");
                        }
                        copy.addRetyped(JournalFormat.PAGED_MESSAGE, frame, offset, length);
                        copy.addRetyped(JournalFormat.PAGED_DELIVERY, frame, delivery, deliveryLength);
                        paged.add(held);
                        pagedRecords.add(records);
                        records += 2;
                        length += deliveryLength;
                    }
                }
                offset += length;
            }
        }
        if (copy.isEmpty()) {
            return null;
        }
        JournalFormat.Frame built = copy.build();
        return new Copy(built, moved, movedRecords, paged, pagedRecords);
    }

    private static boolean isMessage(byte type) {
        return type == JournalFormat.MESSAGE || type == JournalFormat.PAGED_MESSAGE;
    }

    /** A record the index holds is copied as an indexed one, even if it was written for a page that is gone since. */
    private static byte indexedType(byte type) {
        return switch (type) {
            case JournalFormat.PAGED_MESSAGE -> JournalFormat.MESSAGE;
            case JournalFormat.PAGED_DELIVERY -> JournalFormat.DELIVERY;
            default -> type;
        };
    }

    /**
     * Points the copied records' slots at their new place, once the copy is written there (not before: a body read on
     * another thread must find bytes where its slot points).
     */
    void relocate(Copy copy, int headId, long headOffset) {
        int[] starts = copy.frame().recordStarts();
        for (int i = 0; i < copy.slots().size(); i++) {
            index.relocate(copy.slots().get(i), headId, (int)
                    (headOffset + starts[copy.slotRecords().get(i)]));
        }
        for (int i = 0; i < copy.paged().size(); i++) {
            int offset = (int) (headOffset + starts[copy.pagedRecords().get(i)]);
            pages.copied(copy.paged().get(i), JournalIndex.Slot.location(headId, offset));
        }
    }

    /** Called after the head was synced: a segment read to its end, whose live records are now safe, is deleted. */
    void afterSync() throws IOException {
        if (!active() || !readToEnd || !mayDelete.getAsBoolean()) {
            return;
        }
        reader.close();
        pages.finishCompacting(segment);
        files.delete(segment);
        index.forgetSegment(segment);
        segmentsCompacted++;
        segment = -1;
        reader = null;
    }

    void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
    }
}
