package dev.sluice.queues.rules;

import dev.sluice.queues.MessageAttribute;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns and the SDKs verify (SQS developer guide, "Calculating the MD5 message digest for
 * message attributes"): of the UTF-8 body, and of the attributes sorted by name, each encoded as length-prefixed name,
 * length-prefixed data type, a transport byte (1 = string, 2 = binary) and the length-prefixed value.
 */
public final class MessageDigests {
    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private MessageDigests() {}

    public static String ofBody(String body) {
        return hex(bodyDigest(body));
    }

    /** The body's MD5 as its 16 bytes, for a store that keeps them; {@link #hex} gives what SQS answers. */
    public static byte[] bodyDigest(String body) {
        return md5().digest(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns null for no attributes: SQS omits the digest then, and some SDKs fail if it is present. */
    public static String ofAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (Map.Entry<String, MessageAttribute> entry : new TreeMap<>(attributes).entrySet()) {
            MessageAttribute value = entry.getValue();
            writeLengthPrefixed(buffer, entry.getKey().getBytes(StandardCharsets.UTF_8));
            writeLengthPrefixed(buffer, value.dataType().getBytes(StandardCharsets.UTF_8));
            if (value.binaryValue() != null) {
                buffer.write(BINARY_TRANSPORT);
                writeLengthPrefixed(buffer, value.binaryValue());
            } else {
                buffer.write(STRING_TRANSPORT);
                writeLengthPrefixed(buffer, value.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return hex(md5().digest(buffer.toByteArray()));
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream buffer, byte[] bytes) {
        buffer.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        buffer.writeBytes(bytes);
    }

    /** One digest per thread, reset by each {@code digest}: looking MD5 up among the providers cost more than using it. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides MD5", e);
        }
    });

    private static final HexFormat HEX = HexFormat.of();

    private static MessageDigest md5() {
        MessageDigest digest = MD5.get();
        digest.reset();
        return digest;
    }

    /** A digest as SQS writes it: lower-case hex. */
    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }
}
