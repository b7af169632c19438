package dev.sluice.postgres;

import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * One message of a send as the statements write it. {@code attributes} are the message and system attributes already
 * encoded by the backend (null when there are none); {@code bodyMd5} the body's MD5, its 16 bytes; {@code deduplicationKey} is the FIFO key the rules derived (the
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
        byte[] bodyMd5) {

    /** The body's MD5 as the {@code body_md5} column stores it: the 16 bytes, not their hex. */
    Buffer md5Column() {
        return Buffer.buffer(bodyMd5);
    }
}
