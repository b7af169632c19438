package dev.sluice.store.journal;

import dev.sluice.store.StoredPage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the journal's page records ({@link JournalFormat#PAGE_OUT}, {@link JournalFormat#PAGE_IN}). Both start
 * like every record, with a format version and their identifying strings (queue id, page name), so compaction finds
 * a PAGE_OUT's identity as it finds any record's.
 *
 * <pre>
 * PAGE_OUT = version, queueId, name, firstSequence, lastSequence, count, oldestEnqueued, newestEnqueued, messageId*count
 * PAGE_IN  = version, queueId, name, count, (sequence, messageId, location, messageLength, deliveryLength)*count
 * </pre>
 *
 * PAGE_OUT names the page's messages, so a replay takes them out of the index without reading the page file (which a
 * later PAGE_IN or drop may have deleted). PAGE_IN carries the places of the messages' records, so a replay puts
 * their slots back without the page file.
 */
final class PageRecords {
    private static final byte VERSION = 1;

    private PageRecords() {}

    /** A decoded PAGE_OUT. */
    record PageOut(StoredPage page, List<String> messageIds) {}

    /** One message of a PAGE_IN: its message record at {@code location}, its delivery record right after it. */
    record PagedIn(long sequence, String messageId, long location, int messageLength, int deliveryLength) {}

    /** A decoded PAGE_IN. */
    record PageIn(String queueId, String name, List<PagedIn> messages) {}

    static JournalFormat.Frame pageOut(StoredPage page, List<String> messageIds) {
        return JournalFormat.single(JournalFormat.PAGE_OUT, 128 + messageIds.size() * 44, out -> {
            out.writeByte(VERSION);
            writeString(out, page.queueId());
            writeString(out, page.name());
            out.writeLong(page.firstSequence());
            out.writeLong(page.lastSequence());
            out.writeInt(page.count());
            out.writeLong(page.oldestEnqueuedMillis());
            out.writeLong(page.newestEnqueuedMillis());
            out.writeInt(messageIds.size());
            for (String id : messageIds) {
                writeString(out, id);
            }
        });
    }

    static JournalFormat.Frame pageIn(String queueId, String name, List<PagedIn> messages) {
        return JournalFormat.single(JournalFormat.PAGE_IN, 128 + messages.size() * 68, out -> {
            out.writeByte(VERSION);
            writeString(out, queueId);
            writeString(out, name);
            out.writeInt(messages.size());
            for (PagedIn message : messages) {
                out.writeLong(message.sequence());
                writeString(out, message.messageId());
                out.writeLong(message.location());
                out.writeInt(message.messageLength());
                out.writeInt(message.deliveryLength());
            }
        });
    }

    static PageOut decodePageOut(byte[] frame, int bodyOffset, int bodyLength) {
        try (DataInputStream in = open(frame, bodyOffset, bodyLength)) {
            StoredPage page = new StoredPage(
                    readString(in),
                    readString(in),
                    in.readLong(),
                    in.readLong(),
                    in.readInt(),
                    in.readLong(),
                    in.readLong());
            int count = in.readInt();
            List<String> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(readString(in));
            }
            return new PageOut(page, ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PageIn decodePageIn(byte[] frame, int bodyOffset, int bodyLength) {
        try (DataInputStream in = open(frame, bodyOffset, bodyLength)) {
            String queueId = readString(in);
            String name = readString(in);
            int count = in.readInt();
            List<PagedIn> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                messages.add(new PagedIn(in.readLong(), readString(in), in.readLong(), in.readInt(), in.readInt()));
            }
            return new PageIn(queueId, name, messages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DataInputStream open(byte[] frame, int bodyOffset, int bodyLength) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame, bodyOffset, bodyLength));
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown page record format " + version + " (written by a newer Sluice?)");
        }
        return in;
    }

    /** As {@link dev.sluice.store.RecordCodec} writes strings: length, then UTF-8 bytes. */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
