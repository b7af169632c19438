package dev.sluice.store.journal;

import dev.sluice.store.RecordCodec;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Mends a page whose entries a power loss tore in the middle of a relocation ({@link PageFile#relocate}: one 12-byte
 * write of an entry's CRC and location, then one fsync per page). Such an entry fails its CRC; the rest of it (sequence,
 * enqueue time, length, message id) is as written. Its message's records are still in the journal: compaction relocates
 * only after its copy (PAGED_MESSAGE and PAGED_DELIVERY) is synced, and deletes the old segment only after the
 * relocation's fsync returned, so both the original and the copy are there. This finds one of them by the message id,
 * newest segment first (the copy is in the journal's tail, so usually only the last segment is read), checks that it is
 * the entry's message (queue, sequence, the two records' length), and rewrites the page with the entry pointing at it
 * (temporary file, fsync, rename: a crash meanwhile leaves the torn page, mended again at the next start).
 *
 * <p>Which pages are read at start: those a start reads anyway, the ones whose records compaction copied after the
 * loaded checkpoint (or every page without one). That covers every page a relocation can have torn: the writer thread
 * takes no checkpoint between a relocation's write and its fsync, so a checkpoint later than a relocation's copy is
 * never followed by a tear of that relocation.
 */
final class TornRelocations {
    private static final Logger LOG = Logger.getLogger(TornRelocations.class.getName());

    private TornRelocations() {}

    /**
     * {@code entries} of the page at {@code path} (from {@link PageFile#readKeepingTorn}) with every torn entry pointing
     * at its message's records again, the page rewritten; the entries unchanged when none is torn. Fails when a torn
     * entry's records are not in the journal (nothing is guessed: the start stops and says which).
     */
    static List<PageFile.Entry> mend(SegmentFiles files, String queueId, Path path, List<PageFile.Entry> entries)
            throws IOException {
        Map<String, PageFile.Entry> torn = new HashMap<>();
        entries.stream().filter(PageFile.Entry::torn).forEach(entry -> torn.put(entry.messageId(), entry));
        if (torn.isEmpty()) {
            return entries;
        }
        Map<String, Long> found = find(files, queueId, torn);
        List<PageFile.Entry> mended = new ArrayList<>(entries.size());
        for (PageFile.Entry entry : entries) {
            if (!entry.torn()) {
                mended.add(entry);
                continue;
            }
            Long location = found.get(entry.messageId());
            if (location == null) {
                throw new IllegalStateException("page file " + path + ": the entry of message " + entry.messageId()
                        + " (sequence " + entry.sequence() + ") is damaged and its record is not in the journal");
            }
            mended.add(entry.at(location));
        }
        PageFile.write(path, mended);
        LOG.warning("page file " + path + ": " + torn.size() + " entries torn by an interrupted relocation pointed"
                + " at their messages' records again");
        return PageFile.placed(mended);
    }

    /** Where the records of the {@code wanted} entries' messages are, by message id, newest segment first. */
    private static Map<String, Long> find(SegmentFiles files, String queueId, Map<String, PageFile.Entry> wanted)
            throws IOException {
        Map<String, PageFile.Entry> left = new HashMap<>(wanted);
        Map<String, Long> found = new HashMap<>();
        List<Integer> segments = new ArrayList<>(files.existingSegments());
        for (int i = segments.size() - 1; i >= 0 && !left.isEmpty(); i--) {
            int segment = segments.get(i);
            try (SegmentFiles.FrameReader reader = new SegmentFiles.FrameReader(files.path(segment))) {
                long frameOffset = 0;
                byte[] frame;
                while ((frame = reader.next()) != null) {
                    findInFrame(frame, segment, frameOffset, queueId, left, found);
                    frameOffset = reader.position();
                }
            }
            found.keySet().forEach(left::remove);
        }
        return found;
    }

    /** Adds the message records of {@code frame} that are the records of one of {@code left}'s entries. */
    private static void findInFrame(
            byte[] frame,
            int segment,
            long frameOffset,
            String queueId,
            Map<String, PageFile.Entry> left,
            Map<String, Long> found) {
        int offset = JournalFormat.FRAME_HEADER_BYTES;
        while (offset < frame.length) {
            byte type = frame[offset];
            int length = JournalFormat.RECORD_HEADER_BYTES + JournalFormat.getInt(frame, offset + 1);
            if (type == JournalFormat.MESSAGE || type == JournalFormat.PAGED_MESSAGE) {
                StoredMessage message = RecordCodec.decodeMessage(
                        frame,
                        offset + JournalFormat.RECORD_HEADER_BYTES,
                        length - JournalFormat.RECORD_HEADER_BYTES,
                        false);
                PageFile.Entry entry = left.get(message.messageId());
                if (entry != null
                        && message.queueId().equals(queueId)
                        && message.sequence() == entry.sequence()
                        && deliveryFollows(frame, offset + length, entry.length() - length, message)) {
                    found.put(message.messageId(), JournalIndex.Slot.location(segment, (int) (frameOffset + offset)));
                }
            }
            offset += length;
        }
    }

    /** Whether the record at {@code offset} is {@code message}'s delivery, {@code length} bytes long. */
    private static boolean deliveryFollows(byte[] frame, int offset, int length, StoredMessage message) {
        if (offset + JournalFormat.RECORD_HEADER_BYTES > frame.length) {
            return false;
        }
        byte type = frame[offset];
        if ((type != JournalFormat.DELIVERY && type != JournalFormat.PAGED_DELIVERY)
                || JournalFormat.RECORD_HEADER_BYTES + JournalFormat.getInt(frame, offset + 1) != length
                || offset + length > frame.length) {
            return false;
        }
        StoredDelivery delivery = RecordCodec.decodeDelivery(JournalFormat.recordBody(frame, offset));
        return delivery.messageId().equals(message.messageId())
                && delivery.queueId().equals(message.queueId());
    }
}
