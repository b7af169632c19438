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

    // ---- writing

    /** Writes the index as of {@code position} to {@code file} (temporary name first, fsynced, renamed). */
    static void write(JournalIndex index, Position position, Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        try (FileChannel channel = FileChannel.open(
                temporary,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                dev.sluice.store.DataDirectory.fileAttributes())) {
            OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(position.segment());
            out.writeLong(position.offset());
            writeLiveBytes(out, index);
            writeQueues(out, index);
            writeSlots(out, MOVE_TASKS, index.moveTasks);
            writeSlots(out, TENANTS, index.tenants);
            writeSlots(out, ACCESS_KEYS, index.accessKeys);
            out.writeByte(END);
            byte[] trailer = new byte[4];
            JournalFormat.putInt(trailer, 0, (int) crc.getValue());
            raw.write(trailer);
            raw.flush();
            channel.force(false);
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        SegmentFiles.syncDirectory(file.getParent());
    }

    private static void writeLiveBytes(DataOutputStream out, JournalIndex index) throws IOException {
        Map<Integer, Long> live = new TreeMap<>();
        index.forEachSegmentLiveBytes(live::put);
        out.writeByte(LIVE_BYTES);
        out.writeInt(live.size());
        for (Map.Entry<Integer, Long> segment : live.entrySet()) {
            out.writeInt(segment.getKey());
            out.writeLong(segment.getValue());
        }
    }

    private static void writeQueues(DataOutputStream out, JournalIndex index) throws IOException {
        out.writeByte(QUEUES);
        // Only the writer thread changes the index, and this runs on it (or before it starts).
        out.writeInt(index.queues.size());
        for (Map.Entry<String, JournalIndex.QueueSlots> entry : index.queues.entrySet()) {
            JournalIndex.QueueSlots queue = entry.getValue();
            out.writeUTF(entry.getKey());
            writeSlot(out, queue.queue);
            out.writeInt(queue.messages.size());
            for (Map.Entry<String, JournalIndex.MessageSlots> message : queue.messages.entrySet()) {
                out.writeUTF(message.getKey());
                writeSlot(out, message.getValue().message);
                writeSlot(out, message.getValue().delivery);
            }
            out.writeInt(queue.deduplications.size());
            for (Map.Entry<String, JournalIndex.Slot> dedup : queue.deduplications.entrySet()) {
                out.writeUTF(dedup.getKey());
                writeSlot(out, dedup.getValue());
            }
        }
    }

    private static void writeSlots(DataOutputStream out, byte tag, Map<String, JournalIndex.Slot> slots)
            throws IOException {
        out.writeByte(tag);
        out.writeInt(slots.size());
        for (Map.Entry<String, JournalIndex.Slot> slot : slots.entrySet()) {
            out.writeUTF(slot.getKey());
            writeSlot(out, slot.getValue());
        }
    }

    private static void writeSlot(DataOutputStream out, JournalIndex.Slot slot) throws IOException {
        out.writeLong(slot == null ? 0 : slot.location());
        out.writeInt(slot == null ? 0 : slot.length);
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
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            readHeader(in);
            byte tag;
            while ((tag = in.readByte()) != END) {
                switch (tag) {
                    case QUEUES -> readQueues(in, index);
                    case MOVE_TASKS -> readSlots(in, index, index.moveTasks);
                    case TENANTS -> readSlots(in, index, index.tenants);
                    case ACCESS_KEYS -> readSlots(in, index, index.accessKeys);
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
