package dev.sluice.postgres;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One message of a send as the statements write it. {@code attributes} are the message and system attributes already
 * encoded by the backend (null when there are none); {@code md5OfBody} the body's MD5 in hex (as a send returns it); {@code deduplicationKey} is the FIFO key the rules derived (the
 * MessageDeduplicationId, prefixed with the group under DeduplicationScope messageGroup), null on standard queues.
 */
record OutgoingMessage(
        UUID messageId,
        long delayMillis,
        String groupId,
        String deduplicationId,
        String deduplicationKey,
        Buffer attributes,
        String body,
        String md5OfBody) {

    private static final HexFormat HEX = HexFormat.of();

    /** The body's MD5 as the {@code body_md5} column stores it: the 16 bytes, not their hex. */
    Buffer md5Column() {
        return Buffer.buffer(HEX.parseHex(md5OfBody));
    }
}
