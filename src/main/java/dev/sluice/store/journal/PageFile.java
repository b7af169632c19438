package dev.sluice.store.journal;

import dev.sluice.store.DataDirectory;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * One page of a queue's paged-out ready messages (README, "Paged index"): an immutable run of entries in sequence
 * order, each pointing at the journal record of its message (segment and offset in one word, as {@link
 * JournalIndex.Slot} keeps them, and the record's length). A page is written once, whole, to a temporary name, fsynced
 * and renamed, so a crash leaves either the whole page or none; every entry carries its own CRC32C, so a damaged page
 * is refused when it is read, never half-read.
 *
 * <p>Layout: a header (magic, version, count, first and last sequence, oldest enqueue time, CRC32C of the header),
 * then the entries. An entry is {@code crc32c, location, length, sequence, enqueuedMillis, idLength, id}: the CRC
 * covers the rest of the entry, and location and CRC come first and side by side so that compaction can point an
 * entry at the record's new place with one 12-byte write ({@link #relocate}).
 */
final class PageFile {
    private static final int MAGIC = 0x534c5047; // "SLPG"
    private static final byte VERSION = 1;
    static final int HEADER_BYTES = 4 + 1 + 4 + 8 + 8 + 8 + 4;
    /** An entry without its id's bytes. */
    private static final int ENTRY_FIXED_BYTES = 4 + 8 + 4 + 8 + 8 + 1;
    /** Ids longer than this (SQS message ids are 36-character UUIDs) do not fit an entry. */
    static final int MAX_ID_BYTES = 255;

    /** One paged message; {@code fileOffset} is where the entry starts in its page file (-1 before it is written). */
    record Entry(long sequence, long enqueuedMillis, String messageId, long location, int length, long fileOffset) {
        Entry(long sequence, long enqueuedMillis, String messageId, long location, int length) {
            this(sequence, enqueuedMillis, messageId, location, length, -1);
        }

        /** Whether {@link #readKeepingTorn} found its CRC failing: its location is unknown. */
        boolean torn() {
            return location == TORN;
        }

        /** The same entry pointing at {@code newLocation}. */
        Entry at(long newLocation) {
            return new Entry(sequence, enqueuedMillis, messageId, newLocation, length, fileOffset);
        }
    }

    /** The location {@link #readKeepingTorn} gives an entry whose CRC fails. */
    static final long TORN = -1;

    private final Path path;
    private final int count;
    private final long firstSequence;
    private final long lastSequence;
    private final long oldestEnqueuedMillis;

    private PageFile(Path path, int count, long firstSequence, long lastSequence, long oldestEnqueuedMillis) {
        this.path = path;
        this.count = count;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.oldestEnqueuedMillis = oldestEnqueuedMillis;
    }

    /**
     * Writes {@code entries} (at least one, in ascending sequence order) as a page at {@code path}: to a temporary file
     * beside it, fsynced, then renamed into place and the directory synced. When this returns the page is durable.
     */
    static PageFile write(Path path, List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a page holds at least one entry");
        }
        long oldest = Long.MAX_VALUE;
        long previous = Long.MIN_VALUE;
        int bytes = HEADER_BYTES;
        List<byte[]> ids = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (entry.sequence() <= previous) {
                throw new IllegalArgumentException("page entries must be in ascending sequence order");
            }
            previous = entry.sequence();
            oldest = Math.min(oldest, entry.enqueuedMillis());
            byte[] id = entry.messageId().getBytes(StandardCharsets.UTF_8);
            if (id.length > MAX_ID_BYTES) {
                throw new IllegalArgumentException("message id longer than " + MAX_ID_BYTES + " bytes");
            }
            ids.add(id);
            bytes += ENTRY_FIXED_BYTES + id.length;
        }
        PageFile page = new PageFile(
                path,
                entries.size(),
                entries.getFirst().sequence(),
                entries.getLast().sequence(),
                oldest);
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        page.putHeader(buffer);
        CRC32C crc = new CRC32C();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            byte[] id = ids.get(i);
            int start = buffer.position();
            putAfterCrc(buffer.putInt(0), entry, entry.location(), id);
            crc.reset();
            crc.update(buffer.array(), start + 4, buffer.position() - start - 4);
            buffer.putInt(start, (int) crc.getValue());
        }
        buffer.flip();
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temporary,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                DataDirectory.fileAttributes())) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SegmentFiles.syncDirectory(path.getParent());
        return page;
    }

    /** The same entries with the offsets {@link #write} gives them in the file (for {@link #relocate}). */
    static List<Entry> placed(List<Entry> entries) {
        List<Entry> placed = new ArrayList<>(entries.size());
        long offset = HEADER_BYTES;
        for (Entry entry : entries) {
            placed.add(new Entry(
                    entry.sequence(),
                    entry.enqueuedMillis(),
                    entry.messageId(),
                    entry.location(),
                    entry.length(),
                    offset));
            offset += ENTRY_FIXED_BYTES + entry.messageId().getBytes(StandardCharsets.UTF_8).length;
        }
        return placed;
    }

    /** Puts an entry's fields after its CRC, with {@code location} as its record's place. */
    private static void putAfterCrc(ByteBuffer buffer, Entry entry, long location, byte[] id) {
        buffer.putLong(location)
                .putInt(entry.length())
                .putLong(entry.sequence())
                .putLong(entry.enqueuedMillis())
                .put((byte) id.length)
                .put(id);
    }

    /** Opens a page for reading: checks and reads its header only. */
    static PageFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (header.hasRemaining()) {
                if (channel.read(header) < 0) {
                    throw damaged(path, "shorter than its header");
                }
            }
            header.flip();
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_BYTES - 4);
            if (header.getInt(HEADER_BYTES - 4) != (int) crc.getValue() || header.getInt() != MAGIC) {
                throw damaged(path, "its header is damaged");
            }
            byte version = header.get();
            if (version != VERSION) {
                throw damaged(path, "page format " + version + " (written by a newer Sluice?)");
            }
            return new PageFile(path, header.getInt(), header.getLong(), header.getLong(), header.getLong());
        }
    }

    private void putHeader(ByteBuffer buffer) {
        buffer.putInt(MAGIC)
                .put(VERSION)
                .putInt(count)
                .putLong(firstSequence)
                .putLong(lastSequence)
                .putLong(oldestEnqueuedMillis);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, HEADER_BYTES - 4);
        buffer.putInt((int) crc.getValue());
    }

    /** Every entry, in sequence order, each checked against its CRC; a damaged or short page is an error. */
    List<Entry> read() throws IOException {
        return read(false);
    }

    /**
     * Every entry, as {@link #read}, except that an entry whose CRC fails is kept with the location {@link #TORN}:
     * what a power loss tearing a {@link #relocate} write leaves (its CRC and location, the only bytes a relocation
     * writes, half old and half new; the rest of the entry as written). The caller finds its record by the id
     * ({@link TornRelocations}). A short page is still an error.
     */
    List<Entry> readKeepingTorn() throws IOException {
        return read(true);
    }

    private List<Entry> read(boolean keepTorn) throws IOException {
        List<Entry> entries = new ArrayList<>(count);
        try (InputStream file = Files.newInputStream(path);
                DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
            in.skipNBytes(HEADER_BYTES);
            long offset = HEADER_BYTES;
            byte[] fixed = new byte[ENTRY_FIXED_BYTES];
            ByteBuffer view = ByteBuffer.wrap(fixed);
            CRC32C crc = new CRC32C();
            for (int i = 0; i < count; i++) {
                in.readFully(fixed);
                byte[] id = new byte[fixed[ENTRY_FIXED_BYTES - 1] & 0xff];
                in.readFully(id);
                crc.reset();
                crc.update(fixed, 4, ENTRY_FIXED_BYTES - 4);
                crc.update(id);
                boolean intact = view.getInt(0) == (int) crc.getValue();
                if (!intact && !keepTorn) {
                    throw damaged(path, "entry " + i + " at byte " + offset + " is damaged");
                }
                entries.add(new Entry(
                        view.getLong(16),
                        view.getLong(24),
                        new String(id, StandardCharsets.UTF_8),
                        intact ? view.getLong(4) : TORN,
                        view.getInt(12),
                        offset));
                offset += ENTRY_FIXED_BYTES + id.length;
            }
        } catch (EOFException e) {
            throw damaged(path, "it ends before its " + count + " entries");
        }
        return entries;
    }

    /**
     * The journal locations of the page's messages, sorted: compaction asks {@link #holds} whether a record it meets is
     * one of them. A page's messages arrive mostly in journal order, so this is usually sorted already.
     */
    long[] sortedLocations() throws IOException {
        List<Entry> entries = read();
        long[] locations = new long[entries.size()];
        for (int i = 0; i < locations.length; i++) {
            locations[i] = entries.get(i).location();
        }
        Arrays.sort(locations);
        return locations;
    }

    /** Whether {@code location} is among {@code sortedLocations} (from {@link #sortedLocations}). */
    static boolean holds(long[] sortedLocations, long location) {
        return Arrays.binarySearch(sortedLocations, location) >= 0;
    }

    /** One entry (as {@link #read} returned it) and the new place of its record, which compaction copied there. */
    record Relocation(Entry entry, long location) {}

    /**
     * Points entries at their records' new places and then fsyncs once (compaction relocates a segment's worth
     * together, before it deletes the old segment). For each, location and the entry's CRC are rewritten together, in
     * one write of 12 bytes within the entry.
     */
    void relocate(List<Relocation> relocations) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer write = ByteBuffer.allocate(12);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            for (Relocation relocation : relocations) {
                Entry entry = relocation.entry();
                byte[] id = entry.messageId().getBytes(StandardCharsets.UTF_8);
                ByteBuffer rest = ByteBuffer.allocate(ENTRY_FIXED_BYTES - 4 + id.length);
                putAfterCrc(rest, entry, relocation.location(), id);
                crc.reset();
                crc.update(rest.array());
                write.clear()
                        .putInt((int) crc.getValue())
                        .putLong(relocation.location())
                        .flip();
                while (write.hasRemaining()) {
                    channel.write(write, entry.fileOffset() + write.position());
                }
            }
            channel.force(false);
        }
    }

    Path path() {
        return path;
    }

    int count() {
        return count;
    }

    long firstSequence() {
        return firstSequence;
    }

    long lastSequence() {
        return lastSequence;
    }

    long oldestEnqueuedMillis() {
        return oldestEnqueuedMillis;
    }

    private static IOException damaged(Path path, String why) {
        return new IOException("page file " + path + " cannot be read: " + why);
    }
}
