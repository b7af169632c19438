package dev.sluice.protocol.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.junit.jupiter.api.Test;

/** XmlWriter must write the very bytes the JDK's StAX writer writes for the same calls. */
class XmlWriterTest {
    private static final String[] PIECES = {
        "a",
        "Z",
        "0",
        " ",
        "<",
        ">",
        "&",
        "\"",
        "'",
        "\r",
        "\n",
        "\t",
        "é",
        "ß",
        "€",
        "中",
        "\uFFFD",
        "\uFFFF",
        "😀",
        "\uD800",
        "\uDC00",
        "\uDBFF\uDFFF",
        "]]>",
        "&#xD;",
        "hello"
    };

    @Test
    void writesWhatStaxWrites() throws XMLStreamException {
        Random random = new Random(20260101);
        for (int round = 0; round < 5_000; round++) {
            ByteArrayOutputStream staxBytes = new ByteArrayOutputStream();
            XMLStreamWriter stax = XMLOutputFactory.newFactory().createXMLStreamWriter(staxBytes, "UTF-8");
            XmlWriter ours = new XmlWriter();
            stax.writeStartDocument("UTF-8", "1.0");
            ours.writeStartDocument();
            stax.writeStartElement("Root");
            ours.writeStartElement("Root");
            stax.writeDefaultNamespace(XmlReplies.NAMESPACE);
            ours.writeDefaultNamespace(XmlReplies.NAMESPACE);
            int depth = 1;
            int steps = random.nextInt(30);
            for (int step = 0; step < steps; step++) {
                switch (random.nextInt(5)) {
                    case 0 -> {
                        String name = "E" + random.nextInt(3);
                        stax.writeStartElement(name);
                        ours.writeStartElement(name);
                        depth++;
                    }
                    case 1 -> {
                        stax.writeEmptyElement("Detail");
                        ours.writeEmptyElement("Detail");
                    }
                    case 2 -> {
                        if (depth > 1) {
                            stax.writeEndElement();
                            ours.writeEndElement();
                            depth--;
                        }
                    }
                    case 3 -> {
                        stax.writeEntityRef("#xD");
                        ours.writeEntityRef("#xD");
                    }
                    default -> {
                        String text = text(random);
                        stax.writeCharacters(text);
                        ours.writeCharacters(text);
                    }
                }
            }
            if (random.nextBoolean()) {
                while (depth-- > 0) {
                    stax.writeEndElement();
                    ours.writeEndElement();
                }
            }
            stax.writeEndDocument();
            stax.close();
            byte[] expected = staxBytes.toByteArray();
            assertThat(ours.toByteArray())
                    .as(() -> new String(expected, StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
