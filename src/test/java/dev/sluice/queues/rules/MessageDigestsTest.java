package dev.sluice.queues.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.MessageAttribute;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MD5 digests SDKs verify. Known values pin the algorithm; an independent re-implementation of the documented
 * algorithm (SQS developer guide, "Calculating the MD5 message digest for message attributes") checks other inputs.
 */
class MessageDigestsTest {

    @Test
    void bodyDigestMatchesKnownValues() {
        assertThat(MessageDigests.ofBody("hello")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(MessageDigests.ofBody("derp")).isEqualTo("58fd9edd83341c29f1aebba81c31e257");
        assertThat(MessageDigests.ofBody("Héllo!\uD83D\uDE00"))
                .isEqualTo(md5("Héllo!\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)));
    }

    /** Values other SQS implementations (moto, LocalStack) pin as what AWS returns for these attributes. */
    @Test
    void attributeDigestMatchesKnownValues() {
        assertThat(MessageDigests.ofAttributes(Map.of("timestamp", attribute("Number", "1493147359900"))))
                .isEqualTo("235c5c510d26fb653d073faed50ae77c");
        assertThat(MessageDigests.ofAttributes(Map.of("timestamp", attribute("Number", "1493147359901"))))
                .isEqualTo("994258b45346a2cc3f9cbb611aa7af30");
        assertThat(MessageDigests.ofAttributes(
                        Map.of("SOME_Valid.attribute-Name", attribute("Number", "1493147359900"))))
                .isEqualTo("36655e7e9d7c0e8479fa3f3f42247ae7");
    }

    @Test
    void attributeDigestOfMixedTypesMatchesKnownValue() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("ccc", string("testjunk"));
        attributes.put("aaa", binary((byte) 2, (byte) 3, (byte) 4));
        attributes.put("zzz", attribute("Number", "0230.01"));
        attributes.put("öther_encodings", string("Tüst"));

        assertThat(MessageDigests.ofAttributes(attributes)).isEqualTo("8ae21a7957029ef04146b42aeaa18a22");
    }

    @Test
    void attributeDigestFollowsTheDocumentedAlgorithm() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("zeta", attribute("Number.float", "3.14"));
        attributes.put("Alpha", string("ünïcödé \uD83D\uDE00"));
        attributes.put("beta", new MessageAttribute("Binary.gif", null, new byte[] {0, -1, 127, -128}));
        attributes.put("alpha", attribute("String.custom", "lower"));

        assertThat(MessageDigests.ofAttributes(attributes)).isEqualTo(documentedDigest(attributes));
    }

    @Test
    void attributeDigestDoesNotDependOnInsertionOrder() {
        Map<String, MessageAttribute> forward = new LinkedHashMap<>();
        forward.put("a", string("1"));
        forward.put("b", string("2"));
        Map<String, MessageAttribute> backward = new LinkedHashMap<>();
        backward.put("b", string("2"));
        backward.put("a", string("1"));

        assertThat(MessageDigests.ofAttributes(forward)).isEqualTo(MessageDigests.ofAttributes(backward));
    }

    @Test
    void noAttributesHaveNoDigest() {
        // SQS omits MD5OfMessageAttributes then; PHP SDK >= 3.28.1 fails if it is present.
        assertThat(MessageDigests.ofAttributes(Map.of())).isNull();
    }

    private static MessageAttribute attribute(String dataType, String value) {
        return new MessageAttribute(dataType, value, null);
    }

    private static MessageAttribute string(String value) {
        return attribute("String", value);
    }

    private static MessageAttribute binary(byte... value) {
        return new MessageAttribute("Binary", null, value);
    }

    /** The algorithm as documented, written independently of MessageDigests. */
    private static String documentedDigest(Map<String, MessageAttribute> attributes) {
        List<String> names = new ArrayList<>(attributes.keySet());
        names.sort(null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String name : names) {
                MessageAttribute value = attributes.get(name);
                writeWithLength(out, name.getBytes(StandardCharsets.UTF_8));
                writeWithLength(out, value.dataType().getBytes(StandardCharsets.UTF_8));
                if (value.dataType().startsWith("Binary")) {
                    out.writeByte(2);
                    writeWithLength(out, value.binaryValue());
                } else {
                    out.writeByte(1);
                    writeWithLength(out, value.stringValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return md5(bytes.toByteArray());
    }

    private static void writeWithLength(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
