package dev.sluice.store.journal;

import dev.sluice.store.RecordCodec;
import dev.sluice.store.StoreChange;
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

    private JournalFormat() {}

    /**
     * One encoded frame. {@code recordStarts[i]} is where the i-th record starts, counted from the frame's first byte;
     * the last element is the frame's length, so record i is {@code recordStarts[i+1] - recordStarts[i]} bytes long.
     */
    record Frame(byte[] bytes, int[] recordStarts) {
        int records() {
            return recordStarts.length - 1;
        }

        int recordLength(int record) {
            return recordStarts[record + 1] - recordStarts[record];
        }
    }

    /**
     * Encodes the changes of one commit as one frame. A {@code PutMessage} becomes two records, the message and its
     * delivery state, because they change independently: a receive rewrites only the small delivery record.
     */
    static Frame encode(List<StoreChange> changes) {
        FrameBuilder frame = new FrameBuilder(changes.size() + 1);
        for (StoreChange change : changes) {
            switch (change) {
                case StoreChange.PutQueue put -> frame.add(QUEUE, RecordCodec.encode(put.queue()));
                case StoreChange.DeleteQueue delete ->
                    frame.add(DELETE_QUEUE, RecordCodec.encodeString(delete.queueId()));
                case StoreChange.PutMessage put -> {
                    frame.add(MESSAGE, RecordCodec.encode(put.message()));
                    frame.add(DELIVERY, RecordCodec.encode(put.delivery()));
                }
                case StoreChange.PutDelivery put -> frame.add(DELIVERY, RecordCodec.encode(put.delivery()));
                case StoreChange.DeleteMessages delete ->
                    frame.add(DELETE_MESSAGES, RecordCodec.encodeList(delete.queueId(), delete.messageIds()));
                case StoreChange.PutDeduplication put ->
                    frame.add(DEDUPLICATION, RecordCodec.encode(put.deduplication()));
                case StoreChange.DeleteDeduplications delete ->
                    frame.add(DELETE_DEDUPLICATIONS, RecordCodec.encodeList(delete.queueId(), delete.keys()));
                case StoreChange.PutMoveTask put -> frame.add(MOVE_TASK, RecordCodec.encode(put.task()));
                case StoreChange.PutTenant put -> frame.add(TENANT, RecordCodec.encode(put.tenant()));
                case StoreChange.DeleteTenant delete ->
                    frame.add(DELETE_TENANT, RecordCodec.encodeString(delete.accountId()));
                case StoreChange.PutAccessKey put -> frame.add(ACCESS_KEY, RecordCodec.encode(put.key()));
                case StoreChange.DeleteAccessKey delete ->
                    frame.add(DELETE_ACCESS_KEY, RecordCodec.encodeString(delete.accessKeyId()));
            }
        }
        return frame.build();
    }

    /** Builds a frame from whole records (type byte, length, body) copied out of another frame. */
    static final class FrameBuilder {
        private byte[] bytes = new byte[1024];
        private int length = FRAME_HEADER_BYTES;
        private int[] starts;
        private int records;

        FrameBuilder(int expectedRecords) {
            starts = new int[Math.max(2, expectedRecords + 1)];
        }

        boolean isEmpty() {
            return records == 0;
        }

        int length() {
            return length;
        }

        void add(byte type, byte[] body) {
            ensure(RECORD_HEADER_BYTES + body.length);
            mark();
            bytes[length] = type;
            putInt(bytes, length + 1, body.length);
            System.arraycopy(body, 0, bytes, length + RECORD_HEADER_BYTES, body.length);
            length += RECORD_HEADER_BYTES + body.length;
        }

        /** Adds a record exactly as it was written elsewhere (header included). */
        void addRaw(byte[] source, int offset, int recordLength) {
            ensure(recordLength);
            mark();
            System.arraycopy(source, offset, bytes, length, recordLength);
            length += recordLength;
        }

        Frame build() {
            if (records + 1 > starts.length) {
                starts = Arrays.copyOf(starts, records + 1);
            }
            starts[records] = length;
            int[] recordStarts = Arrays.copyOf(starts, records + 1);
            byte[] frame = Arrays.copyOf(bytes, length);
            int payloadLength = length - FRAME_HEADER_BYTES;
            putInt(frame, 0, payloadLength);
            CRC32C crc = new CRC32C();
            crc.update(frame, FRAME_HEADER_BYTES, payloadLength);
            putInt(frame, 4, (int) crc.getValue());
            return new Frame(frame, recordStarts);
        }

        private void mark() {
            if (records + 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[records++] = length;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
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
