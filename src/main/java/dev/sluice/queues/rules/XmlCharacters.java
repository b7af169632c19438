package dev.sluice.queues.rules;

/**
 * The characters SQS accepts in text it stores and returns: those of XML 1.0, {@code #x9 | #xA | #xD | #x20-#xD7FF |
 * #xE000-#xFFFD | #x10000-#x10FFFF} (SendMessage API reference). Text with any other character could not be written
 * in a query-protocol reply, so it is refused when it is stored.
 */
public final class XmlCharacters {
    public static final String ALLOWED = "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";

    private XmlCharacters() {}

    /** The index of the first character outside the set, or -1 if there is none. */
    public static int firstInvalid(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c <= 0xD7FF || c == 0x9 || c == 0xA || c == 0xD || c >= 0xE000 && c <= 0xFFFD) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    public static boolean allowed(String text) {
        return firstInvalid(text) < 0;
    }
}
