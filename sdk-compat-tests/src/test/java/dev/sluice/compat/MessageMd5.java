package dev.sluice.compat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns, computed independently of either SDK so the suite can check them even where an SDK does
 * not (MD5OfMessageSystemAttributes). Algorithm from the SQS Developer Guide, "Calculating the MD5 message digest for
 * message attributes": attributes sorted by name; per attribute the 4-byte big-endian length and UTF-8 bytes of the
 * name, the same for the data type, one transport byte (1 = String/Number, 2 = Binary), then length + value bytes.
 */
final class MessageMd5 {
    private MessageMd5() {}

    static String ofBody(String body) {
        return hex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    static String ofAttributes(Map<String, MessageAttribute> attributes) {
        var buffer = new ByteArrayOutputStream();
        new TreeMap<>(attributes).forEach((name, attribute) -> {
            writeLengthPrefixed(buffer, name.getBytes(StandardCharsets.UTF_8));
            writeLengthPrefixed(buffer, attribute.dataType().getBytes(StandardCharsets.UTF_8));
            if (attribute.isBinary()) {
                buffer.write(2);
                writeLengthPrefixed(buffer, attribute.binaryValue());
            } else {
                buffer.write(1);
                writeLengthPrefixed(buffer, attribute.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        });
        return hex(md5().digest(buffer.toByteArray()));
    }

    /** MD5OfMessageSystemAttributes for a message whose only system attribute is AWSTraceHeader. */
    static String ofTraceHeader(String traceHeader) {
        return ofAttributes(Map.of("AWSTraceHeader", MessageAttribute.string(traceHeader)));
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream buffer, byte[] bytes) {
        buffer.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        buffer.writeBytes(bytes);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
