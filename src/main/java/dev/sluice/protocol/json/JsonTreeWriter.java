package dev.sluice.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes an answer's tree (maps, lists, strings, numbers, booleans, byte arrays) as JSON with Jackson's streaming
 * generator, the same bytes {@link ObjectMapper#writeValueAsBytes} gives for it, at less cost: it walks the tree by
 * {@code instanceof} instead of looking up a serializer per value, and a long string made only of printable ASCII
 * other than {@code "} and {@code \} (a typical message body) is copied as it is rather than examined for escapes
 * character by character. Anything else goes to the mapper.
 */
final class JsonTreeWriter {
    /** Shorter strings (ids, digests, attribute values) are left to the generator's own loop; the bodies are longer. */
    private static final int PLAIN_CHECK_MIN_LENGTH = 48;

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final ObjectMapper mapper;

    JsonTreeWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] write(Object tree) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            value(generator, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void value(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof String text) {
            string(generator, text);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                // Keys are strings; another key is written as its toString(), as the mapper writes a number key.
                generator.writeFieldName(String.valueOf(entry.getKey()));
                value(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object element : list) {
                value(generator, element);
            }
            generator.writeEndArray();
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value == null) {
            generator.writeNull();
        } else if (value instanceof byte[] bytes) {
            generator.writeBinary(bytes);
        } else {
            mapper.writeValue(generator, value);
        }
    }

    private static void string(JsonGenerator generator, String text) throws IOException {
        if (text.length() >= PLAIN_CHECK_MIN_LENGTH) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (isPlainAscii(text, utf8)) {
                generator.writeRawUTF8String(utf8, 0, utf8.length);
                return;
            }
        }
        generator.writeString(text);
    }

    /**
     * Whether the text is printable ASCII (or DEL) without {@code "} and {@code \}, what JSON needs no escape for,
     * judged on its UTF-8: one byte per character means no character from U+0080 up (those take two bytes or more),
     * except a lone surrogate, which the encoder writes as {@code ?}; so a {@code ?} is checked against the text. The
     * bytes are read eight at a time as a {@code long} and a word is looked at byte by byte only when it may hold one
     * of those bytes ({@link #mayNeedALook}); the rest, under eight bytes, byte by byte.
     */
    private static boolean isPlainAscii(String text, byte[] utf8) {
        if (utf8.length != text.length()) {
            return false;
        }
        int i = 0;
        for (; i + Long.BYTES <= utf8.length; i += Long.BYTES) {
            if (mayNeedALook((long) WORDS.get(utf8, i)) && !isPlainAscii(text, utf8, i, i + Long.BYTES)) {
                return false;
            }
        }
        return isPlainAscii(text, utf8, i, utf8.length);
    }

    private static boolean isPlainAscii(String text, byte[] utf8, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = utf8[i]; // from 0x80 up, negative
            if (b < 0x20 || b == '"' || b == '\\' || (b == '?' && text.charAt(i) != '?')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether one of the eight bytes is below 0x20, from 0x80 up, or one of {@code "}, {@code \} and {@code ?}. The
     * zero-byte test {@code (v - 0x01..01) & ~v & 0x80..80} (and its variant for bytes below 0x20) finds every such byte:
     * below the lowest one no byte borrows, so that byte's top bit is set. It may also flag a word that holds none (a
     * borrow above the lowest), which only costs the look.
     */
    private static boolean mayNeedALook(long word) {
        long quote = word ^ (ONES * '"');
        long backslash = word ^ (ONES * '\\');
        long question = word ^ (ONES * '?');
        long flagged = ((word - ONES * 0x20) & ~word)
                | ((quote - ONES) & ~quote)
                | ((backslash - ONES) & ~backslash)
                | ((question - ONES) & ~question)
                | word;
        return (flagged & HIGH_BITS) != 0;
    }
}
