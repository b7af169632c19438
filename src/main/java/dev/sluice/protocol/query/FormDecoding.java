package dev.sluice.protocol.query;

import java.nio.charset.StandardCharsets;

/**
 * Decodes one form-encoded name or value ({@code application/x-www-form-urlencoded}: '+' is a space, {@code %XX} a
 * byte, the bytes UTF-8) without losing what is not valid UTF-8. {@link java.net.URLDecoder} turns such bytes into
 * U+FFFD, so a message body that is not UTF-8 would be stored changed instead of refused. Here each byte that is not
 * part of a well-formed UTF-8 sequence becomes a lone surrogate {@code U+DC80..U+DCFF} (the "surrogateescape" of
 * PEP 383): no valid text decodes to one, and every SQS rule refuses it as it refuses a lone surrogate sent in JSON (the
 * body with InvalidMessageContents, an attribute value or id with InvalidParameterValue).
 *
 * <p>The input holds one char per byte for the form body (read as ISO-8859-1), so raw non-ASCII bytes are decoded like
 * percent-encoded ones; a query string may already hold wider chars, which are kept as they are.
 */
final class FormDecoding {
    private FormDecoding() {}

    /** The decoded text; IllegalArgumentException for a malformed percent escape. */
    static String decode(String encoded) {
        int special = firstByteOrEscape(encoded);
        if (special < 0) {
            return encoded.indexOf('+') < 0 ? encoded : encoded.replace('+', ' ');
        }
        int length = encoded.length();
        StringBuilder out = new StringBuilder(length);
        appendPlain(out, encoded, 0, special);
        byte[] bytes = new byte[length];
        int i = special;
        while (i < length) {
            char c = encoded.charAt(i);
            if (c != '%' && (c < 0x80 || c > 0xFF)) {
                out.append(c == '+' ? ' ' : c);
                i++;
                continue;
            }
            int count = 0;
            while (i < length && ((c = encoded.charAt(i)) == '%' || c >= 0x80 && c <= 0xFF)) {
                if (c == '%') {
                    if (i + 2 >= length) {
                        throw new IllegalArgumentException("incomplete escape");
                    }
                    int high = Character.digit(encoded.charAt(i + 1), 16);
                    int low = Character.digit(encoded.charAt(i + 2), 16);
                    if (high < 0 || low < 0) {
                        throw new IllegalArgumentException("malformed escape");
                    }
                    bytes[count++] = (byte) (high << 4 | low);
                    i += 3;
                } else {
                    bytes[count++] = (byte) c;
                    i++;
                }
            }
            appendUtf8(out, bytes, count);
        }
        return out.toString();
    }

    private static int firstByteOrEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c >= 0x80 && c <= 0xFF) {
                return i;
            }
        }
        return -1;
    }

    private static void appendPlain(StringBuilder out, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            out.append(c == '+' ? ' ' : c);
        }
    }

    /** Appends the bytes as UTF-8, each byte outside a well-formed sequence as its lone surrogate. */
    private static void appendUtf8(StringBuilder out, byte[] bytes, int count) {
        int start = 0;
        int i = 0;
        while (i < count) {
            int length = sequenceLength(bytes, i, count);
            if (length > 0) {
                i += length;
                continue;
            }
            out.append(new String(bytes, start, i - start, StandardCharsets.UTF_8));
            out.append((char) (0xDC00 | (bytes[i] & 0xFF)));
            i++;
            start = i;
        }
        out.append(new String(bytes, start, count - start, StandardCharsets.UTF_8));
    }

    /** The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629, no surrogates or overlongs), or 0. */
    private static int sequenceLength(byte[] bytes, int i, int count) {
        int b0 = bytes[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int length;
        int min;
        int max = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            return i + 1 < count && isContinuation(bytes[i + 1]) ? 2 : 0;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            min = b0 == 0xE0 ? 0xA0 : 0x80;
            max = b0 == 0xED ? 0x9F : 0xBF;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            min = b0 == 0xF0 ? 0x90 : 0x80;
            max = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + length > count) {
            return 0;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if (b1 < min || b1 > max) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            if (!isContinuation(bytes[i + k])) {
                return 0;
            }
        }
        return length;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
