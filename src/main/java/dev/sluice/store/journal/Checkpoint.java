package dev.sluice.store.journal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One checkpoint file: the journal index's state (every live record's place) as of a journal position, so a start
 * replays only what follows that position. Written under a temporary name, fsynced and renamed; the whole file is
 * covered by one CRC32C at its end, so a torn or damaged checkpoint is refused as a whole, never half-read:
 *
 * <pre>
 * file     = magic "SLUICECP", int version, int segment, long offset, section*, byte END, int crc32c(all before)
 * section  = byte tag, its body:
 *   LIVE_BYTES     int n, n * (int segment, long live bytes)      (first: a reader checks the segments exist)
 *   QUEUES         int n, n * (utf queueId, slot queue, int m, m * (utf messageId, slot message, slot delivery),
 *                              int d, d * (utf key, slot deduplication))
 *   MOVE_TASKS, TENANTS, ACCESS_KEYS    int n, n * (utf id, slot)
 *   PAGES          int n, n * (utf queueId, utf name, long first sequence, long last sequence, int count,
 *                              long oldest enqueued, long newest enqueued, slot PAGE_OUT record,
 *                              int k, k * (int segment, long bytes of its messages' records there))
 * slot     = long location (segment << 32 | offset), int length (0: none)
 * </pre>
 *
 * Only places are kept, never values: a start reads the values back from the journal by position. A new kind of
 * indexed state is one more section (a tag, its writer and its reader).
 */
final class Checkpoint {
    private static final byte[] MAGIC = {'S', 'L', 'U', 'I', 'C', 'E', 'C', 'P'};
    private static final int VERSION = 1;

    private static final byte END = 0;
    private static final byte LIVE_BYTES = 1;
    private static final byte QUEUES = 2;
    private static final byte MOVE_TASKS = 3;
    private static final byte TENANTS = 4;
    private static final byte ACCESS_KEYS = 5;
    private static final byte PAGES = 6;

    /** A place in the journal: the checkpoint holds the effect of every record before it. */
    record Position(int segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            int bySegment = Integer.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
        }
    }

    /** What the header and first section say: where the checkpoint stands and which segments it points into. */
    record Header(Position position, Map<Integer, Long> liveBytes) {}

    private Checkpoint() {}

    // ---- capturing (the writer thread) and writing (any thread)

    /**
     * Places of one kind of record, by id: what a section holds, copied out of the index (a slot's place may change
     * once the writer goes on: compaction relocates it). A length of 0 is no record.
     */
    record Places(String[] ids, long[] locations, int[] lengths) {
        static Places of(int size) {
            return new Places(new String[size], new long[size], new int[size]);
        }

        void set(int i, String id, JournalIndex.Slot slot) {
            ids[i] = id;
            locations[i] = slot == null ? 0 : slot.location();
            lengths[i] = slot == null ? 0 : slot.length;
        }

        int size() {
            return ids.length;
        }

        static Places copy(Map<String, JournalIndex.Slot> slots) {
            Places places = of(slots.size());
            int i = 0;
            for (Map.Entry<String, JournalIndex.Slot> slot : slots.entrySet()) {
                places.set(i++, slot.getKey(), slot.getValue());
            }
            return places;
        }
    }

    /** One queue's places: its queue record, its messages with their deliveries (ids: the messages'), deduplications. */
    record QueuePlaces(Places queue, Places messages, Places deliveries, Places deduplications) {}

    /** The index's places as of {@code position}, taken on the writer thread and written on another. */
    record Capture(
            Position position,
            Map<Integer, Long> liveBytes,
            List<QueuePlaces> queues,
            Places moveTasks,
            Places tenants,
            Places accessKeys,
            List<JournalPages.Saved> pages) {}

    /**
     * Copies the index's places (writer thread only, after everything before {@code position} is synced): strings are
     * shared, places copied, so the copy costs a walk over the index and no encoding.
     */
    static Capture capture(JournalIndex index, Position position) {
        return capture(index, List.of(), position);
    }

    /** The index's places and the live pages ({@link JournalPages#save}), as of {@code position}. */
    static Capture capture(JournalIndex index, List<JournalPages.Saved> pages, Position position) {
        Map<Integer, Long> live = new TreeMap<>();
        index.forEachSegmentLiveBytes(live::put);
        List<QueuePlaces> queues = new ArrayList<>(index.queues.size());
        for (Map.Entry<String, JournalIndex.QueueSlots> entry : index.queues.entrySet()) {
            JournalIndex.QueueSlots queue = entry.getValue();
            Places queueSlot = Places.of(1);
            queueSlot.set(0, entry.getKey(), queue.queue);
            // Only the writer changes the maps, so their sizes hold while they are walked here.
            Places messages = Places.of(queue.messages.size());
            Places deliveries = Places.of(queue.messages.size());
            int i = 0;
            for (Map.Entry<String, JournalIndex.MessageSlots> message : queue.messages.entrySet()) {
                messages.set(i, message.getKey(), message.getValue().message);
                deliveries.set(i++, message.getKey(), message.getValue().delivery);
            }
            queues.add(new QueuePlaces(queueSlot, messages, deliveries, Places.copy(queue.deduplications)));
        }
        return new Capture(
                position,
                live,
                queues,
                Places.copy(index.moveTasks),
                Places.copy(index.tenants),
                Places.copy(index.accessKeys),
                pages);
    }

    /** Writes the index as of {@code position} to {@code file} on this thread (tests and benchmarks). */
    static void write(JournalIndex index, Position position, Path file) throws IOException {
        write(capture(index, position), file);
    }

    /** Writes a capture to {@code file}: a temporary name first, fsynced, renamed, the directory fsynced. */
    static void write(Capture capture, Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        try (FileChannel channel = FileChannel.open(
                temporary,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                dev.sluice.store.DataDirectory.fileAttributes())) {
            OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            // Buffered before the checksum too, so the CRC is computed over large runs, not field by field.
            DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(capture.position().segment());
            out.writeLong(capture.position().offset());
            out.writeByte(LIVE_BYTES);
            out.writeInt(capture.liveBytes().size());
            for (Map.Entry<Integer, Long> segment : capture.liveBytes().entrySet()) {
                out.writeInt(segment.getKey());
                out.writeLong(segment.getValue());
            }
            out.writeByte(QUEUES);
            out.writeInt(capture.queues().size());
            for (QueuePlaces queue : capture.queues()) {
                out.writeUTF(queue.queue().ids()[0]);
                writePlace(out, queue.queue(), 0);
                out.writeInt(queue.messages().size());
                for (int i = 0; i < queue.messages().size(); i++) {
                    out.writeUTF(queue.messages().ids()[i]);
                    writePlace(out, queue.messages(), i);
                    writePlace(out, queue.deliveries(), i);
                }
                writePlaces(out, queue.deduplications());
            }
            out.writeByte(MOVE_TASKS);
            writePlaces(out, capture.moveTasks());
            out.writeByte(TENANTS);
            writePlaces(out, capture.tenants());
            out.writeByte(ACCESS_KEYS);
            writePlaces(out, capture.accessKeys());
            out.writeByte(PAGES);
            writePages(out, capture.pages());
            out.writeByte(END);
            out.flush();
            byte[] trailer = new byte[4];
            JournalFormat.putInt(trailer, 0, (int) crc.getValue());
            raw.write(trailer);
            raw.flush();
            channel.force(false);
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        SegmentFiles.syncDirectory(file.getParent());
    }

    private static void writePages(DataOutputStream out, List<JournalPages.Saved> pages) throws IOException {
        out.writeInt(pages.size());
        for (JournalPages.Saved page : pages) {
            dev.sluice.store.StoredPage descriptor = page.descriptor();
            out.writeUTF(descriptor.queueId());
            out.writeUTF(descriptor.name());
            out.writeLong(descriptor.firstSequence());
            out.writeLong(descriptor.lastSequence());
            out.writeInt(descriptor.count());
            out.writeLong(descriptor.oldestEnqueuedMillis());
            out.writeLong(descriptor.newestEnqueuedMillis());
            out.writeLong(page.recordLocation());
            out.writeInt(page.recordLength());
            out.writeInt(page.bytesBySegment().size());
            for (Map.Entry<Integer, Long> segment : page.bytesBySegment().entrySet()) {
                out.writeInt(segment.getKey());
                out.writeLong(segment.getValue());
            }
        }
    }

    private static void writePlaces(DataOutputStream out, Places places) throws IOException {
        out.writeInt(places.size());
        for (int i = 0; i < places.size(); i++) {
            out.writeUTF(places.ids()[i]);
            writePlace(out, places, i);
        }
    }

    private static void writePlace(DataOutputStream out, Places places, int i) throws IOException {
        out.writeLong(places.locations()[i]);
        out.writeInt(places.lengths()[i]);
    }

    // ---- reading

    /**
     * Checks the whole file against its CRC and returns its header, or throws {@link IOException} saying what is
     * wrong (torn, damaged, not a checkpoint, a newer version).
     */
    static Header verify(Path file) throws IOException {
        long size = Files.size(file);
        if (size < MAGIC.length + 4 + 4 + 8 + 1 + 4 + 1 + 4) {
            throw new IOException("too short (" + size + " bytes)");
        }
        CRC32C crc = new CRC32C();
        byte[] trailer;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (long left = size - 4; left > 0; ) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new IOException("shorter than it was");
                }
                crc.update(buffer, 0, read);
                left -= read;
            }
            trailer = in.readNBytes(4);
        }
        if (trailer.length < 4 || JournalFormat.getInt(trailer, 0) != (int) crc.getValue()) {
            throw new IOException("its checksum does not match (torn or damaged)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return readHeader(in);
        }
    }

    private static Header readHeader(DataInputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a Sluice checkpoint");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("of version " + version + ", which this Sluice does not read");
        }
        Position position = new Position(in.readInt(), in.readLong());
        if (in.readByte() != LIVE_BYTES) {
            throw new IOException("its first section is not the segments' live bytes");
        }
        int segments = in.readInt();
        Map<Integer, Long> live = new TreeMap<>();
        for (int i = 0; i < segments; i++) {
            live.put(in.readInt(), in.readLong());
        }
        return new Header(position, live);
    }

    /**
     * Puts the slots of a checkpoint that {@link #verify} accepted into {@code index} (which must be empty); their
     * values are left null, to be read back by position.
     */
    static void load(Path file, JournalIndex index) throws IOException {
        load(file, index, null);
    }

    /**
     * Also gives the live pages to {@code pages} (null: a checkpoint with pages is refused, as tests without a page
     * store have none).
     */
    static void load(Path file, JournalIndex index, JournalPages pages) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            readHeader(in);
            byte tag;
            while ((tag = in.readByte()) != END) {
                switch (tag) {
                    case QUEUES -> readQueues(in, index);
                    case MOVE_TASKS -> readSlots(in, index, index.moveTasks);
                    case TENANTS -> readSlots(in, index, index.tenants);
                    case ACCESS_KEYS -> readSlots(in, index, index.accessKeys);
                    case PAGES -> readPages(in, pages);
                    default -> throw new IOException("unknown section " + tag);
                }
            }
        }
    }

    private static void readQueues(DataInputStream in, JournalIndex index) throws IOException {
        int queues = in.readInt();
        for (int q = 0; q < queues; q++) {
            String queueId = in.readUTF();
            JournalIndex.Slot queue = readSlot(in);
            if (queue != null) {
                index.putQueue(queueId, queue);
            }
            int messages = in.readInt();
            for (int m = 0; m < messages; m++) {
                String messageId = in.readUTF();
                JournalIndex.Slot message = readSlot(in);
                JournalIndex.Slot delivery = readSlot(in);
                index.putMessage(queueId, messageId, message);
                if (delivery != null) {
                    index.putDelivery(queueId, messageId, delivery, false);
                }
            }
            int dedups = in.readInt();
            for (int d = 0; d < dedups; d++) {
                String key = in.readUTF();
                index.putDeduplication(queueId, key, readSlot(in));
            }
        }
    }

    private static void readPages(DataInputStream in, JournalPages pages) throws IOException {
        int count = in.readInt();
        if (count > 0 && pages == null) {
            throw new IOException("it holds pages, and nothing here takes them");
        }
        for (int i = 0; i < count; i++) {
            dev.sluice.store.StoredPage descriptor = new dev.sluice.store.StoredPage(
                    in.readUTF(),
                    in.readUTF(),
                    in.readLong(),
                    in.readLong(),
                    in.readInt(),
                    in.readLong(),
                    in.readLong());
            long recordLocation = in.readLong();
            int recordLength = in.readInt();
            int segments = in.readInt();
            Map<Integer, Long> bytes = new java.util.HashMap<>();
            for (int s = 0; s < segments; s++) {
                bytes.put(in.readInt(), in.readLong());
            }
            pages.restore(new JournalPages.Saved(descriptor, recordLocation, recordLength, bytes));
        }
    }

    private static void readSlots(DataInputStream in, JournalIndex index, Map<String, JournalIndex.Slot> slots)
            throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String id = in.readUTF();
            index.put(slots, id, readSlot(in));
        }
    }

    private static JournalIndex.Slot readSlot(DataInputStream in) throws IOException {
        long location = in.readLong();
        int length = in.readInt();
        return length == 0
                ? null
                : new JournalIndex.Slot(
                        JournalIndex.Slot.segment(location), JournalIndex.Slot.offset(location), length);
    }
}
