package dev.sluice.store.journal;

import dev.sluice.store.RecordCodec;
import dev.sluice.store.StoreChange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of the journal. A segment file is a sequence of frames; a frame is one commit (or one batch of records
 * copied forward by compaction) and is applied whole or not at all:
 *
 * <pre>
 * frame  = int payloadLength, int crc32c(payload), payload
 * payload = record*
 * record = byte type, int length, byte[length] (a {@link RecordCodec} encoding)
 * </pre>
 *
 * A frame whose length runs past the end of the file or whose checksum does not match is a write torn by a crash: it
 * was never acknowledged (acknowledgement follows the fsync of the whole frame), so recovery cuts the file there.
 */
final class JournalFormat {
    static final int FRAME_HEADER_BYTES = 8;
    static final int RECORD_HEADER_BYTES = 5;
    /** Larger than any commit can be (a batch of ten 1 MiB messages with attributes); guards against garbage. */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    static final byte QUEUE = 1;
    static final byte DELETE_QUEUE = 2;
    static final byte MESSAGE = 3;
    static final byte DELIVERY = 4;
    static final byte DELETE_MESSAGES = 5;
    static final byte DEDUPLICATION = 6;
    static final byte DELETE_DEDUPLICATIONS = 7;
    static final byte MOVE_TASK = 8;
    static final byte TENANT = 9;
    static final byte DELETE_TENANT = 10;
    static final byte ACCESS_KEY = 11;
    static final byte DELETE_ACCESS_KEY = 12;
    /** A page of a queue's messages was written ({@link PageRecords}): from here on the page holds them. */
    static final byte PAGE_OUT = 13;
    /** A page's messages are back in the index, their records' places inline ({@link PageRecords}). */
    static final byte PAGE_IN = 14;
    /** Pages of a queue dropped with their messages: queue id, then page names. */
    static final byte DROP_PAGES = 15;
    /**
     * A message record (and the delivery record after it) that compaction copied for a page holding it: the body is a
     * {@link #MESSAGE}'s (a {@link #DELIVERY}'s), but a replay leaves it to the page instead of indexing it.
     */
    static final byte PAGED_MESSAGE = 16;

    static final byte PAGED_DELIVERY = 17;

    private JournalFormat() {}

    /**
     * One encoded frame: its first {@code length} bytes of {@code bytes}. {@code recordStarts[i]} is where the i-th
     * record starts, counted from the frame's first byte; the last element is the frame's length, so record i is
     * {@code recordStarts[i+1] - recordStarts[i]} bytes long.
     */
    record Frame(byte[] bytes, int length, int[] recordStarts) {
        int recordLength(int record) {
            return recordStarts[record + 1] - recordStarts[record];
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes, 0, length);
        }
    }

    interface RecordWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Encodes the changes of one commit as one frame, straight into one buffer sized for the bodies it carries. A
     * {@code PutMessage} becomes two records, the message and its delivery state, because they change independently:
     * a receive rewrites only the small delivery record.
     */
    static Frame encode(List<StoreChange> changes) {
        int estimate = FRAME_HEADER_BYTES;
        for (StoreChange change : changes) {
            estimate += 256;
            if (change instanceof StoreChange.PutMessage put && put.message().body() != null) {
                estimate += put.message().body().length() + 128;
            }
        }
        FrameBuilder frame = new FrameBuilder(changes.size() + 1, estimate);
        for (StoreChange change : changes) {
            switch (change) {
                case StoreChange.PutQueue put -> frame.add(QUEUE, out -> RecordCodec.encodeInto(out, put.queue()));
                case StoreChange.DeleteQueue delete ->
                    frame.add(DELETE_QUEUE, out -> RecordCodec.encodeStringInto(out, delete.queueId()));
                case StoreChange.PutMessage put -> {
                    frame.add(MESSAGE, out -> RecordCodec.encodeInto(out, put.message()));
                    frame.add(DELIVERY, out -> RecordCodec.encodeInto(out, put.delivery()));
                }
                case StoreChange.PutDelivery put ->
                    frame.add(DELIVERY, out -> RecordCodec.encodeInto(out, put.delivery()));
                case StoreChange.DeleteMessages delete ->
                    frame.add(
                            DELETE_MESSAGES,
                            out -> RecordCodec.encodeListInto(out, delete.queueId(), delete.messageIds()));
                case StoreChange.PutDeduplication put ->
                    frame.add(DEDUPLICATION, out -> RecordCodec.encodeInto(out, put.deduplication()));
                case StoreChange.DeleteDeduplications delete ->
                    frame.add(
                            DELETE_DEDUPLICATIONS,
                            out -> RecordCodec.encodeListInto(out, delete.queueId(), delete.keys()));
                case StoreChange.PutMoveTask put ->
                    frame.add(MOVE_TASK, out -> RecordCodec.encodeInto(out, put.task()));
                case StoreChange.PutTenant put -> frame.add(TENANT, out -> RecordCodec.encodeInto(out, put.tenant()));
                case StoreChange.DeleteTenant delete ->
                    frame.add(DELETE_TENANT, out -> RecordCodec.encodeStringInto(out, delete.accountId()));
                case StoreChange.PutAccessKey put ->
                    frame.add(ACCESS_KEY, out -> RecordCodec.encodeInto(out, put.key()));
                case StoreChange.DeleteAccessKey delete ->
                    frame.add(DELETE_ACCESS_KEY, out -> RecordCodec.encodeStringInto(out, delete.accessKeyId()));
                case StoreChange.DropPages drop ->
                    frame.add(DROP_PAGES, out -> RecordCodec.encodeListInto(out, drop.queueId(), drop.pageNames()));
            }
        }
        return frame.build();
    }

    /** A frame of one record of {@code type}, whose body {@code writer} encodes. */
    static Frame single(byte type, int expectedBytes, RecordWriter writer) {
        FrameBuilder frame = new FrameBuilder(1, expectedBytes);
        frame.add(type, writer);
        return frame.build();
    }

    /** A growable byte array whose contents are used in place, without the copy {@code toByteArray} makes. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int capacity) {
            super(capacity);
        }

        byte[] array() {
            return buf;
        }

        void skip(int bytes) {
            for (int i = 0; i < bytes; i++) {
                write(0);
            }
        }
    }

    /** Builds a frame record by record, encoding each straight into the frame's buffer. */
    static final class FrameBuilder {
        private final Buffer bytes;
        private final DataOutputStream out;
        private int[] starts;
        private int records;

        FrameBuilder(int expectedRecords, int expectedBytes) {
            bytes = new Buffer(Math.max(FRAME_HEADER_BYTES + 64, expectedBytes));
            bytes.skip(FRAME_HEADER_BYTES);
            out = new DataOutputStream(bytes);
            starts = new int[Math.max(2, expectedRecords + 1)];
        }

        boolean isEmpty() {
            return records == 0;
        }

        private void add(byte type, RecordWriter writer) {
            mark();
            int start = bytes.size();
            try {
                out.writeByte(type);
                out.writeInt(0); // the length, set once the body is written
                writer.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a byte array does not fail
            }
            putInt(bytes.array(), start + 1, bytes.size() - start - RECORD_HEADER_BYTES);
        }

        /** Adds a record exactly as it was written elsewhere (header included). */
        void addRaw(byte[] source, int offset, int recordLength) {
            mark();
            bytes.write(source, offset, recordLength);
        }

        /** Adds a record as it was written elsewhere, but of another type (same body). */
        void addRetyped(byte type, byte[] source, int offset, int recordLength) {
            mark();
            bytes.write(type);
            bytes.write(source, offset + 1, recordLength - 1);
        }

        Frame build() {
            int length = bytes.size();
            if (records + 1 > starts.length) {
                starts = Arrays.copyOf(starts, records + 1);
            }
            starts[records] = length;
            int[] recordStarts = starts.length == records + 1 ? starts : Arrays.copyOf(starts, records + 1);
            byte[] frame = bytes.array();
            int payloadLength = length - FRAME_HEADER_BYTES;
            putInt(frame, 0, payloadLength);
            CRC32C crc = new CRC32C();
            crc.update(frame, FRAME_HEADER_BYTES, payloadLength);
            putInt(frame, 4, (int) crc.getValue());
            return new Frame(frame, length, recordStarts);
        }

        private void mark() {
            if (records + 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[records++] = bytes.size();
        }
    }

    static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    static int getInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 24)
                | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8)
                | (bytes[offset + 3] & 0xff);
    }

    /** The body of the record that starts at {@code offset} of {@code bytes} (its header skipped). */
    static byte[] recordBody(byte[] bytes, int offset) {
        int length = getInt(bytes, offset + 1);
        return Arrays.copyOfRange(bytes, offset + RECORD_HEADER_BYTES, offset + RECORD_HEADER_BYTES + length);
    }
}
