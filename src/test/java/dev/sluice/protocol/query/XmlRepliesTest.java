package dev.sluice.protocol.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Query-protocol replies encode whatever text they carry: characters XML 1.0 cannot hold become U+FFFD. */
class XmlRepliesTest {
    private static Document parse(byte[] xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    @Test
    void anErrorMessageQuotingControlCharactersAndLoneSurrogatesStillEncodes() throws Exception {
        AwsException error =
                new AwsException(AwsErrors.INVALID_PARAMETER_VALUE, "Value a\u0001b\uD800c\uFFFEd\re\t😀 is invalid.");

        Document reply = parse(XmlReplies.error(error, "request-1"));

        assertThat(reply.getElementsByTagName("Message").item(0).getTextContent())
                .isEqualTo("Value a\uFFFDb\uFFFDc\uFFFDd\re\t😀 is invalid.");
    }

    @Test
    void resultTextIsWrittenTheSameWay() throws Exception {
        Document reply = parse(XmlReplies.result(
                "ListQueueTags", true, Map.of("Tags", Map.of("k\u0007", "v\u001B[31m")), "request-2"));

        assertThat(reply.getElementsByTagName("Key").item(0).getTextContent()).isEqualTo("k\uFFFD");
        assertThat(reply.getElementsByTagName("Value").item(0).getTextContent()).isEqualTo("v\uFFFD[31m");
    }
}
