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
 * <p>Why the oldest only: a deletion record then never needs to outlive the segment it is in, because every record
 * it could delete sits in that segment or an older one, all of which are gone by the time it is.
 */
final class Compactor {
    private static final Logger LOG = Logger.getLogger(Compactor.class.getName());
    /** Bytes of the old segment read per step, so a step adds little to the group commit it rides with. */
    private static final int STEP_BYTES = 1 << 20;

    private final SegmentFiles files;
    private final JournalIndex index;
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
    Compactor(SegmentFiles files, JournalIndex index, long minimumBytes, BooleanSupplier mayDelete) {
        this.files = files;
        this.index = index;
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
    }

    /** Live records copied out of the old segment: the frame to append, and the slots that must then point there. */
    record Copy(JournalFormat.Frame frame, List<JournalIndex.Slot> slots) {}

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
                    JournalIndex.Slot slot = index.current(type, ids, segment, (int) (frameOffset + offset));
                    if (slot != null) {
                        copy.addRaw(frame, offset, length);
                        moved.add(slot);
                    }
                }
                offset += length;
            }
        }
        if (copy.isEmpty()) {
            return null;
        }
        JournalFormat.Frame built = copy.build();
        return new Copy(built, moved);
    }

    /**
     * Points the copied records' slots at their new place, once the copy is written there (not before: a body read on
     * another thread must find bytes where its slot points).
     */
    void relocate(Copy copy, int headId, long headOffset) {
        int[] starts = copy.frame().recordStarts();
        for (int i = 0; i < copy.slots().size(); i++) {
            index.relocate(copy.slots().get(i), headId, (int) (headOffset + starts[i]));
        }
    }

    /** Called after the head was synced: a segment read to its end, whose live records are now safe, is deleted. */
    void afterSync() throws IOException {
        if (!active() || !readToEnd || !mayDelete.getAsBoolean()) {
            return;
        }
        reader.close();
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
