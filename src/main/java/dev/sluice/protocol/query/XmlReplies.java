package dev.sluice.protocol.query;

import dev.sluice.api.AwsException;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes result trees as the query protocol's XML. Lists and maps are flattened as the SQS model says: each list item
 * is an element named for the item ({@code Messages} -> {@code <Message>}), each map entry a {@code <Attribute>} (or
 * {@code <Tag>}, {@code <MessageAttribute>}) with its key and value. Carriage returns are written as {@code &#xD;} so
 * XML parsers give them back unchanged (a body's MD5 depends on it); characters XML cannot carry as U+FFFD.
 */
final class XmlReplies {
    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
    /**
     * Woodstox rather than the JDK's writer: the JDK's costs a sixth of a query-protocol SendMessage (a heavy writer
     * object per reply, a synchronized write per byte), Woodstox's writers are cheap to create and buffer their output.
     */
    private static final XMLOutputFactory FACTORY = new com.ctc.wstx.stax.WstxOutputFactory();

    /** List members and the element name of their items. */
    private static final Map<String, String> LIST_ITEMS = Map.of(
            "Messages", "Message",
            "QueueUrls", "QueueUrl",
            "queueUrls", "QueueUrl",
            "Failed", "BatchResultErrorEntry",
            "StringListValues", "StringListValue",
            "BinaryListValues", "BinaryListValue",
            "Results", "ListMessageMoveTasksResultEntry");

    /** Map members: entry element, key element, value element. */
    private static final Map<String, String[]> MAP_ENTRIES = Map.of(
            "Attributes", new String[] {"Attribute", "Name", "Value"},
            "MessageAttributes", new String[] {"MessageAttribute", "Name", "Value"},
            "Tags", new String[] {"Tag", "Key", "Value"});

    private static final String REPLACEMENT = "\uFFFD";

    private XmlReplies() {}

    static byte[] result(String action, boolean hasResult, Map<String, Object> result, String requestId) {
        return write(xml -> {
            xml.writeStartElement(action + "Response");
            xml.writeDefaultNamespace(NAMESPACE);
            if (hasResult) {
                xml.writeStartElement(action + "Result");
                writeMembers(xml, action, result);
                xml.writeEndElement();
            }
            xml.writeStartElement("ResponseMetadata");
            writeText(xml, "RequestId", requestId);
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    static byte[] error(AwsException error, String requestId) {
        return write(xml -> {
            xml.writeStartElement("ErrorResponse");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeStartElement("Error");
            writeText(xml, "Type", error.error().senderFault() ? "Sender" : "Receiver");
            writeText(xml, "Code", error.error().queryCode());
            writeText(xml, "Message", error.getMessage());
            xml.writeEmptyElement("Detail");
            xml.writeEndElement();
            writeText(xml, "RequestId", requestId);
            xml.writeEndElement();
        });
    }

    private interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            body.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML reply", e);
        }
        return out.toByteArray();
    }

    private static void writeMembers(XMLStreamWriter xml, String action, Map<?, ?> members) throws XMLStreamException {
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String name = (String) member.getKey();
            Object value = member.getValue();
            if (value instanceof List<?> items) {
                String item = name.equals("Successful") ? action + "ResultEntry" : LIST_ITEMS.getOrDefault(name, name);
                for (Object element : items) {
                    writeValue(xml, action, item, element);
                }
            } else if (value instanceof Map<?, ?> map && MAP_ENTRIES.containsKey(name)) {
                String[] entry = MAP_ENTRIES.get(name);
                for (Map.Entry<?, ?> pair : map.entrySet()) {
                    xml.writeStartElement(entry[0]);
                    writeText(xml, entry[1], String.valueOf(pair.getKey()));
                    writeValue(xml, action, entry[2], pair.getValue());
                    xml.writeEndElement();
                }
            } else {
                writeValue(xml, action, name, value);
            }
        }
    }

    private static void writeValue(XMLStreamWriter xml, String action, String element, Object value)
            throws XMLStreamException {
        if (value instanceof Map<?, ?> struct) {
            xml.writeStartElement(element);
            writeMembers(xml, action, struct);
            xml.writeEndElement();
        } else if (value instanceof byte[] bytes) {
            writeText(xml, element, Base64.getEncoder().encodeToString(bytes));
        } else {
            writeText(xml, element, String.valueOf(value));
        }
    }

    /**
     * Writes the text as an element's content. XML 1.0 cannot carry every character a Java string can hold (C0
     * controls but tab and line feed, lone surrogates, U+FFFE and U+FFFF): each such character is written as U+FFFD,
     * so no reply, error messages that quote the request included, can fail to encode. What Sluice stores is checked
     * against these characters when it is written, so only text from the request itself ever needs it.
     */
    private static void writeText(XMLStreamWriter xml, String element, String text) throws XMLStreamException {
        xml.writeStartElement(element);
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if ((c >= 0x20 && c < 0xD800) || c == '\t' || c == '\n' || (c >= 0xE000 && c <= 0xFFFD)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            xml.writeCharacters(text.substring(start, i));
            if (c == '\r') {
                xml.writeEntityRef("#xD");
            } else {
                xml.writeCharacters(REPLACEMENT);
            }
            start = i + 1;
        }
        xml.writeCharacters(start == 0 ? text : text.substring(start));
        xml.writeEndElement();
    }
}
