package dev.sluice.store;

import dev.sluice.queues.MessageAttribute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The byte layout of stored records. Each record starts with a format version byte, so a later layout can still read
 * files written by this one. Strings are length-prefixed UTF-8 (bodies may exceed {@code writeUTF}'s 64 KiB).
 */
public final class RecordCodec {
    private static final byte VERSION = 1;
    /** The tenant record with a quota (format 1's fields, then the quota). */
    private static final byte TENANT_WITH_QUOTA = 2;
    /** The queue record of a region other than the default (format 1's fields, then the region). */
    private static final byte QUEUE_WITH_REGION = 2;

    private RecordCodec() {}

    public static byte[] encode(StoredQueue queue) {
        return write(out -> encodeInto(out, queue));
    }

    /**
     * Writes the same bytes as {@link #encode} to {@code out}. A queue of the default region (no region) is written in
     * format 1, exactly as before regions existed (so an older Sluice still reads it); one of another region in format
     * 2, which appends the region to format 1's fields.
     */
    public static void encodeInto(DataOutputStream out, StoredQueue queue) throws IOException {
        out.writeByte(queue.region() == null ? VERSION : QUEUE_WITH_REGION);
        writeString(out, queue.queueId());
        writeString(out, queue.accountId());
        writeString(out, queue.name());
        writeStringMap(out, queue.attributes());
        writeStringMap(out, queue.tags());
        out.writeLong(queue.createdMillis());
        out.writeLong(queue.lastModifiedMillis());
        out.writeLong(queue.nextSequence());
        if (queue.region() != null) {
            writeString(out, queue.region());
        }
    }

    /** A queue record of format 1 (the default region) or 2 (another region). */
    public static StoredQueue decodeQueue(byte[] bytes) {
        return read(bytes, QUEUE_WITH_REGION, (in, version) -> {
            String queueId = readString(in);
            String accountId = readString(in);
            String name = readString(in);
            Map<String, String> attributes = readStringMap(in);
            Map<String, String> tags = readStringMap(in);
            long created = in.readLong();
            long lastModified = in.readLong();
            long nextSequence = in.readLong();
            String region = version == QUEUE_WITH_REGION ? readString(in) : null;
            return new StoredQueue(
                    queueId, region, accountId, name, attributes, tags, created, lastModified, nextSequence);
        });
    }

    public static byte[] encode(StoredMessage message) {
        return write(out -> encodeInto(out, message));
    }

    /** Writes the same bytes as {@link #encode} to {@code out}. */
    public static void encodeInto(DataOutputStream out, StoredMessage message) throws IOException {
        out.writeByte(VERSION);
        writeString(out, message.queueId());
        writeString(out, message.messageId());
        out.writeLong(message.sequence());
        writeString(out, message.body());
        writeAttributes(out, message.messageAttributes());
        writeAttributes(out, message.systemAttributes());
        writeString(out, message.senderId());
        out.writeLong(message.sentMillis());
        out.writeLong(message.enqueuedMillis());
        writeString(out, message.messageGroupId());
        writeString(out, message.messageDeduplicationId());
        writeString(out, message.deadLetterSourceQueue());
    }

    public static StoredMessage decodeMessage(byte[] bytes) {
        return decodeMessage(bytes, true);
    }

    /** The message; without {@code withBody} its body is skipped, not decoded, and left null. */
    public static StoredMessage decodeMessage(byte[] bytes, boolean withBody) {
        return decodeMessage(bytes, 0, bytes.length, withBody);
    }

    /** The message encoded at {@code offset} of {@code bytes}, read in place. */
    public static StoredMessage decodeMessage(byte[] bytes, int offset, int length, boolean withBody) {
        return decodeMessage(bytes, offset, length, withBody, UnaryOperator.identity());
    }

    /**
     * As {@link #decodeMessage(byte[], int, int, boolean)}, with the queue id and sender id passed through {@code
     * shared}, which may return an equal string already held (so many messages share one).
     */
    public static StoredMessage decodeMessage(
            byte[] bytes, int offset, int length, boolean withBody, UnaryOperator<String> shared) {
        return read(
                new ByteArrayInputStream(bytes, offset, length),
                in -> new StoredMessage(
                        shared.apply(readString(in)),
                        readString(in),
                        in.readLong(),
                        withBody ? readString(in) : skipString(in),
                        readAttributes(in),
                        readAttributes(in),
                        shared.apply(readString(in)),
                        in.readLong(),
                        in.readLong(),
                        readString(in),
                        readString(in),
                        readString(in)));
    }

    public static byte[] encode(StoredDeduplication deduplication) {
        return write(out -> encodeInto(out, deduplication));
    }

    /** Writes the same bytes as {@link #encode} to {@code out}. */
    public static void encodeInto(DataOutputStream out, StoredDeduplication deduplication) throws IOException {
        out.writeByte(VERSION);
        writeString(out, deduplication.queueId());
        writeString(out, deduplication.key());
        writeString(out, deduplication.messageId());
        out.writeLong(deduplication.sequence());
        out.writeLong(deduplication.expiresAtMillis());
    }

    public static StoredDeduplication decodeDeduplication(byte[] bytes) {
        return read(
                bytes,
                in -> new StoredDeduplication(
                        readString(in), readString(in), readString(in), in.readLong(), in.readLong()));
    }

    public static byte[] encode(StoredMoveTask task) {
        return write(out -> encodeInto(out, task));
    }

    /** Writes the same bytes as {@link #encode} to {@code out}. */
    public static void encodeInto(DataOutputStream out, StoredMoveTask task) throws IOException {
        out.writeByte(VERSION);
        writeString(out, task.taskHandle());
        writeString(out, task.sourceQueue());
        writeString(out, task.destinationQueue());
        writeString(out, task.sourceArn());
        writeString(out, task.destinationArn());
        out.writeInt(task.maxNumberOfMessagesPerSecond());
        writeString(out, task.status());
        out.writeLong(task.approximateNumberOfMessagesMoved());
        out.writeLong(task.approximateNumberOfMessagesToMove());
        writeString(out, task.failureReason());
        out.writeLong(task.startedMillis());
    }

    public static StoredMoveTask decodeMoveTask(byte[] bytes) {
        return read(
                bytes,
                in -> new StoredMoveTask(
                        readString(in),
                        readString(in),
                        readString(in),
                        readString(in),
                        readString(in),
                        in.readInt(),
                        readString(in),
                        in.readLong(),
                        in.readLong(),
                        readString(in),
                        in.readLong()));
    }

    public static byte[] encode(StoredDelivery delivery) {
        return write(out -> encodeInto(out, delivery));
    }

    /** Writes the same bytes as {@link #encode} to {@code out}. */
    public static void encodeInto(DataOutputStream out, StoredDelivery delivery) throws IOException {
        out.writeByte(VERSION);
        writeString(out, delivery.queueId());
        writeString(out, delivery.messageId());
        out.writeLong(delivery.visibleAtMillis());
        out.writeInt(delivery.receiveCount());
        out.writeLong(delivery.firstReceiveMillis());
        out.writeLong(delivery.lastReceiveMillis());
    }

    public static StoredDelivery decodeDelivery(byte[] bytes) {
        return read(
                bytes,
                in -> new StoredDelivery(
                        readString(in), readString(in), in.readLong(), in.readInt(), in.readLong(), in.readLong()));
    }

    public static byte[] encode(StoredTenant tenant) {
        return write(out -> encodeInto(out, tenant));
    }

    /**
     * Writes the same bytes as {@link #encode} to {@code out}. A tenant without a quota of its own is written in format
     * 1, exactly as before quotas existed (so an older Sluice still reads it); one with a quota in format 2, which
     * appends the quota to format 1's fields.
     */
    public static void encodeInto(DataOutputStream out, StoredTenant tenant) throws IOException {
        out.writeByte(tenant.quota() == null ? VERSION : TENANT_WITH_QUOTA);
        writeString(out, tenant.accountId());
        writeString(out, tenant.name());
        out.writeBoolean(tenant.enabled());
        out.writeLong(tenant.maxQueues() == null ? -1 : tenant.maxQueues());
        out.writeLong(tenant.maxMessages() == null ? -1 : tenant.maxMessages());
        out.writeLong(tenant.createdMillis());
        if (tenant.quota() != null) {
            StoredQuota quota = tenant.quota();
            writeRate(out, quota.requests());
            writeRate(out, quota.bytes());
            out.writeInt(quota.queues().size());
            for (Map.Entry<String, StoredRate> queue : quota.queues().entrySet()) {
                writeString(out, queue.getKey());
                writeRate(out, queue.getValue());
            }
        }
    }

    /** A tenant record of format 1 (no quota) or 2 (with one). */
    public static StoredTenant decodeTenant(byte[] bytes) {
        return read(bytes, TENANT_WITH_QUOTA, (in, version) -> {
            String accountId = readString(in);
            String name = readString(in);
            boolean enabled = in.readBoolean();
            long maxQueues = in.readLong();
            long maxMessages = in.readLong();
            long created = in.readLong();
            StoredQuota quota = null;
            if (version == TENANT_WITH_QUOTA) {
                StoredRate requests = readRate(in);
                StoredRate byteRate = readRate(in);
                int size = in.readInt();
                Map<String, StoredRate> queues = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    queues.put(readString(in), readRate(in));
                }
                quota = new StoredQuota(requests, byteRate, queues);
            }
            return new StoredTenant(
                    accountId,
                    name,
                    enabled,
                    maxQueues < 0 ? null : (int) maxQueues,
                    maxMessages < 0 ? null : maxMessages,
                    created,
                    quota);
        });
    }

    private static void writeRate(DataOutputStream out, StoredRate rate) throws IOException {
        out.writeLong(rate == null ? -1 : rate.perSecond());
        out.writeLong(rate == null ? -1 : rate.burst());
    }

    private static StoredRate readRate(DataInputStream in) throws IOException {
        long perSecond = in.readLong();
        long burst = in.readLong();
        return perSecond < 0 ? null : new StoredRate(perSecond, burst);
    }

    public static byte[] encode(StoredAccessKey key) {
        return write(out -> encodeInto(out, key));
    }

    /** Writes the same bytes as {@link #encode} to {@code out}. */
    public static void encodeInto(DataOutputStream out, StoredAccessKey key) throws IOException {
        out.writeByte(VERSION);
        writeString(out, key.accessKeyId());
        writeString(out, key.secret());
        writeString(out, key.accountId());
        out.writeBoolean(key.enabled());
        out.writeLong(key.createdMillis());
    }

    public static StoredAccessKey decodeAccessKey(byte[] bytes) {
        return read(
                bytes,
                in -> new StoredAccessKey(
                        readString(in), readString(in), readString(in), in.readBoolean(), in.readLong()));
    }

    /** A queue id followed by a list of strings (message ids or deduplication keys), for the delete records. */
    public static byte[] encodeList(String queueId, java.util.List<String> values) {
        return write(out -> encodeListInto(out, queueId, values));
    }

    /** Writes the same bytes as {@link #encodeList} to {@code out}. */
    public static void encodeListInto(DataOutputStream out, String queueId, java.util.List<String> values)
            throws IOException {
        out.writeByte(VERSION);
        writeString(out, queueId);
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    /** The list of {@link #encodeList}, with its queue id first. */
    public static java.util.List<String> decodeList(byte[] bytes) {
        return read(bytes, in -> {
            java.util.List<String> values = new java.util.ArrayList<>();
            values.add(readString(in));
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                values.add(readString(in));
            }
            return values;
        });
    }

    /** A single string as a record (the id of a deleted queue, tenant or access key). */
    public static byte[] encodeString(String value) {
        return write(out -> encodeStringInto(out, value));
    }

    /** Writes the same bytes as {@link #encodeString} to {@code out}. */
    public static void encodeStringInto(DataOutputStream out, String value) throws IOException {
        out.writeByte(VERSION);
        writeString(out, value);
    }

    public static String decodeString(byte[] bytes) {
        return read(bytes, RecordCodec::readString);
    }

    /**
     * The first {@code count} strings of any record: every layout starts with its identifying strings (queue id,
     * then message id or deduplication key; task handle; account id; access key id), so a reader can find a record's
     * identity without decoding a body.
     */
    public static String[] leadingStrings(byte[] bytes, int count) {
        return read(bytes, TENANT_WITH_QUOTA, (in, version) -> {
            String[] strings = new String[count];
            for (int i = 0; i < count; i++) {
                strings[i] = readString(in);
            }
            return strings;
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private interface VersionedReader<T> {
        T read(DataInputStream in, byte version) throws IOException;
    }

    private static byte[] write(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        return read(new ByteArrayInputStream(bytes), reader);
    }

    private static <T> T read(ByteArrayInputStream bytes, Reader<T> reader) {
        return read(bytes, VERSION, (in, version) -> reader.read(in));
    }

    private static <T> T read(byte[] bytes, byte newest, VersionedReader<T> reader) {
        return read(new ByteArrayInputStream(bytes), newest, reader);
    }

    /** Reads a record of any format from 1 to {@code newest}. */
    private static <T> T read(ByteArrayInputStream bytes, byte newest, VersionedReader<T> reader) {
        try {
            DataInputStream in = new DataInputStream(bytes);
            byte version = in.readByte();
            if (version < VERSION || version > newest) {
                throw new IllegalStateException("unknown record format version " + version);
            }
            return reader.read(in, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String skipString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length > 0) {
            in.skipNBytes(length);
        }
        return null;
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeStringMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    private static Map<String, String> readStringMap(DataInputStream in) throws IOException {
        int size = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    private static void writeAttributes(DataOutputStream out, Map<String, MessageAttribute> attributes)
            throws IOException {
        out.writeInt(attributes.size());
        for (Map.Entry<String, MessageAttribute> entry : attributes.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue().dataType());
            writeString(out, entry.getValue().stringValue());
            writeBytes(out, entry.getValue().binaryValue());
        }
    }

    private static Map<String, MessageAttribute> readAttributes(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size == 0) {
            return Map.of();
        }
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            attributes.put(readString(in), new MessageAttribute(readString(in), readString(in), readBytes(in)));
        }
        return attributes;
    }
}
