package dev.sluice.protocol.query;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The few XML writing calls the query protocol's replies make, producing the bytes the JDK's StAX writer produces for
 * the same calls ({@code XMLOutputFactory.createXMLStreamWriter(out, "UTF-8")}, which Sluice used before): the same
 * declaration, {@code <empty/>} elements, escaping of {@code & < >} in text, and the same UTF-8 encoding, unpaired
 * surrogates included. A StAX writer cost a fifth of a query-protocol SendMessage: a new writer per reply, and a
 * synchronized write per byte. {@code XmlWriterTest} checks the two agree on random input.
 */
final class XmlWriter {
    private byte[] bytes = new byte[512];
    private int length;
    private final ArrayDeque<String> open = new ArrayDeque<>();
    private boolean startTagOpen;
    private boolean emptyElementOpen;
    /** A high surrogate waiting for its low half, as the JDK's UTF-8 writer keeps it (0: none). */
    private char pendingSurrogate;

    void writeStartDocument() {
        write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }

    void writeStartElement(String name) {
        closeStartTag();
        write('<');
        write(name);
        open.push(name);
        startTagOpen = true;
    }

    /** The default namespace of the element just started; the URI is a constant with nothing to escape. */
    void writeDefaultNamespace(String uri) {
        if (!startTagOpen) {
            throw new IllegalStateException("Namespace Attribute not associated with any element");
        }
        write(" xmlns=\"");
        write(uri);
        write('"');
    }

    void writeEmptyElement(String name) {
        closeStartTag();
        write('<');
        write(name);
        startTagOpen = true;
        emptyElementOpen = true;
    }

    void writeEndElement() {
        closeStartTag();
        String name = open.pop();
        write("</");
        write(name);
        write('>');
    }

    /** Text, with {@code &}, {@code <} and {@code >} escaped. */
    void writeCharacters(String text) {
        closeStartTag();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> write("&lt;");
                case '&' -> write("&amp;");
                case '>' -> write("&gt;");
                default -> write(c);
            }
        }
    }

    void writeEntityRef(String name) {
        closeStartTag();
        write('&');
        write(name);
        write(';');
    }

    /** The document, every element still open closed (a dangling high surrogate is dropped, as StAX drops it). */
    byte[] toByteArray() {
        closeStartTag();
        while (!open.isEmpty()) {
            writeEndElement();
        }
        return Arrays.copyOf(bytes, length);
    }

    private void closeStartTag() {
        if (startTagOpen) {
            write(emptyElementOpen ? "/>" : ">");
            startTagOpen = false;
            emptyElementOpen = false;
        }
    }

    private void write(String text) {
        for (int i = 0; i < text.length(); i++) {
            write(text.charAt(i));
        }
    }

    /** One UTF-16 unit as UTF-8, exactly as the JDK's {@code UTF8OutputStreamWriter.write(int)} encodes it. */
    private void write(char c) {
        if (pendingSurrogate != 0) {
            int codePoint = (((pendingSurrogate & 0x3ff) << 10) | (c & 0x3ff)) + 0x10000;
            pendingSurrogate = 0;
            ensure(4);
            bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
            bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
            bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
        } else if (c < 0x80) {
            ensure(1);
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            ensure(2);
            bytes[length++] = (byte) (0xC0 | (c >> 6));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            pendingSurrogate = c;
        } else {
            ensure(3);
            bytes[length++] = (byte) (0xE0 | (c >> 12));
            bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
