package dev.sluice.store.journal;

import dev.sluice.store.DataDirectory;
import dev.sluice.store.DataDirectoryException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The journal's directory: numbered segment files ({@code 0000000001.journal}, ...), the one being appended to (the
 * head) and read channels on the others. Holds an exclusive lock on the directory so two servers never write one
 * journal. Not thread-safe except {@link #read}, which any thread may call.
 */
final class SegmentFiles implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("(\\d{10})\\.journal");
    private static final String LOCK_FILE = "journal.lock";

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Read channels of every segment, head included, by id; concurrent because any thread may {@link #read}. */
    private final ConcurrentSkipListMap<Integer, FileChannel> readers = new ConcurrentSkipListMap<>();

    private FileChannel head;
    private int headId;
    private long headSize;
    /** Sizes of the segments before the head, which no longer grow: known, so no file is asked on the write path. */
    private final Map<Integer, Long> sealedSizes = new java.util.HashMap<>();

    private long sealedBytes;

    SegmentFiles(Path directory) {
        this.directory = directory;
        DataDirectory.prepare(directory);
        try {
            lockChannel = FileChannel.open(
                    directory.resolve(LOCK_FILE),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    DataDirectory.fileAttributes());
            FileLock acquired;
            try {
                acquired = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                lockChannel.close();
                throw new DataDirectoryException("the data directory " + directory.toAbsolutePath()
                        + " is in use by another Sluice process (it holds " + LOCK_FILE + "); stop that one or"
                        + " choose another sluice.data-dir");
            }
            lock = acquired;
        } catch (IOException e) {
            throw DataDirectory.unusable(directory, e);
        }
    }

    /** The ids of the segment files present, oldest first. */
    List<Integer> existingSegments() {
        List<Integer> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> {
                Matcher name = NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    ids.add(Integer.parseInt(name.group(1)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        ids.sort(null);
        return ids;
    }

    Path path(int segment) {
        return directory.resolve("%010d.journal".formatted(segment));
    }

    /** Opens an existing segment for reading (and, if it is the last one, appending at {@code size}). */
    void openExisting(int segment, long size, boolean asHead) throws IOException {
        readers.put(segment, FileChannel.open(path(segment), StandardOpenOption.READ));
        if (asHead) {
            head = FileChannel.open(path(segment), StandardOpenOption.WRITE);
            head.truncate(size);
            head.position(size);
            headId = segment;
            headSize = size;
        } else {
            seal(segment, size);
        }
    }

    private void seal(int segment, long size) {
        sealedSizes.put(segment, size);
        sealedBytes += size;
    }

    /** Starts a new, empty head segment after the current one; the directory entry is made durable at once. */
    void startNewHead() throws IOException {
        int id = readers.isEmpty() ? 1 : readers.lastKey() + 1;
        FileChannel channel = FileChannel.open(
                path(id),
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ),
                DataDirectory.fileAttributes());
        syncDirectory();
        if (head != null) {
            head.close();
            seal(headId, headSize);
        }
        head = channel;
        headId = id;
        headSize = 0;
        readers.put(id, FileChannel.open(path(id), StandardOpenOption.READ));
    }

    int headId() {
        return headId;
    }

    long headSize() {
        return headSize;
    }

    /** Segment ids, oldest first, head last. */
    List<Integer> segments() {
        return new ArrayList<>(readers.keySet());
    }

    int segmentCount() {
        return readers.size();
    }

    /** The oldest segment's id. */
    int oldestSegment() {
        return readers.firstKey();
    }

    long totalBytes() {
        return sealedBytes + headSize;
    }

    /** Appends the buffers to the head (all of them, in order). */
    void append(ByteBuffer[] buffers, long bytes) throws IOException {
        long written = 0;
        while (written < bytes) {
            written += head.write(buffers);
        }
        headSize += bytes;
    }

    /** fdatasync of the head: what was appended is on disk. */
    void syncHead() throws IOException {
        head.force(false);
    }

    /**
     * Reads {@code length} bytes at {@code offset} of a segment. Safe from any thread; fails with {@link
     * IllegalStateException} when the segment has been deleted meanwhile (compaction moved its records).
     */
    byte[] read(int segment, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int attempt = 0; ; attempt++) {
            FileChannel channel = readers.get(segment);
            if (channel == null) {
                throw new IllegalStateException("journal segment " + segment + " is gone");
            }
            try {
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        throw new EOFException("journal segment " + segment + " ends before offset " + offset);
                    }
                }
                return buffer.array();
            } catch (ClosedChannelException e) {
                // An interrupted reading thread closes a FileChannel for everyone: open it again, unless it was
                // closed because the segment was deleted.
                if (attempt > 0 || !reopen(segment, channel)) {
                    throw new IllegalStateException("journal segment " + segment + " is gone", e);
                }
                buffer.clear();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private synchronized boolean reopen(int segment, FileChannel closed) {
        if (readers.get(segment) != closed) {
            return readers.containsKey(segment);
        }
        try {
            readers.put(segment, FileChannel.open(path(segment), StandardOpenOption.READ));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a segment that holds nothing live any more (its live records were copied and synced). */
    synchronized void delete(int segment) throws IOException {
        FileChannel reader = readers.remove(segment);
        if (reader != null) {
            reader.close();
        }
        Long size = sealedSizes.remove(segment);
        if (size != null) {
            sealedBytes -= size;
        }
        Files.deleteIfExists(path(segment));
        syncDirectory();
    }

    private void syncDirectory() {
        syncDirectory(directory);
    }

    /** Makes a file created, renamed or deleted in {@code directory} durable, where the file system can. */
    static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the file's own fsync still holds its contents.
        }
    }

    @Override
    public void close() {
        try {
            if (head != null) {
                head.close();
            }
            for (FileChannel reader : readers.values()) {
                reader.close();
            }
            readers.clear();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the frames of one segment in order. {@link #next} returns null at the end of the valid frames; {@link
     * #torn} then says whether bytes followed that are not a whole, intact frame (a write cut short by a crash).
     */
    static final class FrameReader implements AutoCloseable {
        private final InputStream in;
        private long position;
        private boolean torn;

        FrameReader(Path file) throws IOException {
            this(file, 0);
        }

        /** Reads from {@code start}, which must be where a frame starts (a checkpoint's position). */
        FrameReader(Path file, long start) throws IOException {
            InputStream stream = Files.newInputStream(file);
            stream.skipNBytes(start);
            this.in = new BufferedInputStream(stream, 1 << 20);
            this.position = start;
        }

        /** Where the next frame starts (after {@link #next} returned null: where the valid frames end). */
        long position() {
            return position;
        }

        boolean torn() {
            return torn;
        }

        /** The next frame's bytes, header included, or null. */
        byte[] next() throws IOException {
            byte[] header = new byte[JournalFormat.FRAME_HEADER_BYTES];
            int read = in.readNBytes(header, 0, header.length);
            if (read == 0) {
                return null;
            }
            if (read < header.length) {
                torn = true;
                return null;
            }
            int payloadLength = JournalFormat.getInt(header, 0);
            if (payloadLength <= 0 || payloadLength > JournalFormat.MAX_FRAME_BYTES) {
                torn = true;
                return null;
            }
            byte[] frame = new byte[JournalFormat.FRAME_HEADER_BYTES + payloadLength];
            System.arraycopy(header, 0, frame, 0, header.length);
            if (in.readNBytes(frame, header.length, payloadLength) < payloadLength) {
                torn = true;
                return null;
            }
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(frame, JournalFormat.FRAME_HEADER_BYTES, payloadLength);
            if (JournalFormat.getInt(header, 4) != (int) crc.getValue()) {
                torn = true;
                return null;
            }
            position += frame.length;
            return frame;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
