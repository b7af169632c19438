package dev.sluice.postgres;

import dev.sluice.queues.MessageAttribute;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message's message attributes and system attributes as the {@code message.attributes} column holds them (null when
 * there are none): per attribute a kind byte (message or system), the name, the data type, and a string or the bytes,
 * each length-prefixed. Read back in the order written, so the digests the SDKs check come out the same.
 */
final class AttributeCodec {
    private static final byte MESSAGE = 'm';
    private static final byte SYSTEM = 's';
    private static final byte STRING = 'S';
    private static final byte BINARY = 'B';

    private AttributeCodec() {}

    /** A message's two attribute maps, as read back. */
    record Attributes(Map<String, MessageAttribute> message, Map<String, MessageAttribute> system) {
        static final Attributes NONE = new Attributes(Map.of(), Map.of());
    }

    static Buffer encode(Map<String, MessageAttribute> message, Map<String, MessageAttribute> system) {
        if (message.isEmpty() && system.isEmpty()) {
            return null;
        }
        Buffer out = Buffer.buffer(64);
        message.forEach((name, value) -> write(out, MESSAGE, name, value));
        system.forEach((name, value) -> write(out, SYSTEM, name, value));
        return out;
    }

    static Attributes decode(Buffer in) {
        if (in == null || in.length() == 0) {
            return Attributes.NONE;
        }
        Map<String, MessageAttribute> message = new LinkedHashMap<>();
        Map<String, MessageAttribute> system = new LinkedHashMap<>();
        int at = 0;
        while (at < in.length()) {
            byte kind = in.getByte(at++);
            byte[] name = bytes(in, at);
            at += 4 + name.length;
            byte[] type = bytes(in, at);
            at += 4 + type.length;
            byte form = in.getByte(at++);
            byte[] value = bytes(in, at);
            at += 4 + value.length;
            MessageAttribute attribute = form == STRING
                    ? new MessageAttribute(text(type), text(value), null)
                    : new MessageAttribute(text(type), null, value);
            (kind == SYSTEM ? system : message).put(text(name), attribute);
        }
        return new Attributes(message, system);
    }

    private static void write(Buffer out, byte kind, String name, MessageAttribute value) {
        out.appendByte(kind);
        writeBytes(out, name.getBytes(StandardCharsets.UTF_8));
        writeBytes(out, value.dataType().getBytes(StandardCharsets.UTF_8));
        if (value.stringValue() != null) {
            out.appendByte(STRING);
            writeBytes(out, value.stringValue().getBytes(StandardCharsets.UTF_8));
        } else {
            out.appendByte(BINARY);
            writeBytes(out, value.binaryValue() == null ? new byte[0] : value.binaryValue());
        }
    }

    private static void writeBytes(Buffer out, byte[] bytes) {
        out.appendInt(bytes.length);
        out.appendBytes(bytes);
    }

    private static byte[] bytes(Buffer in, int at) {
        int length = in.getInt(at);
        return in.getBytes(at + 4, at + 4 + length);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
