package dev.sluice.postgres;

import dev.sluice.queues.rules.MessageDigests;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A message a receive claimed, with its delivery state after the claim (receive count, first receive time). */
record ClaimedRow(
        long seq,
        UUID messageId,
        int receiveCount,
        long firstReceivedAt,
        long sentAt,
        String groupId,
        String deduplicationId,
        String senderId,
        String deadLetterSource,
        Buffer attributes,
        String body,
        Buffer bodyMd5) {

    /** The columns {@link #of} reads, for the statements' RETURNING lists. */
    static final String COLUMNS = "seq, message_id, receive_count, first_received_at, sent_at, group_id,"
            + " deduplication_id, sender_id, dead_letter_source, attributes, body, body_md5";

    /** How many columns {@link #COLUMNS} names: the index of a column a statement returns after them. */
    static final int COLUMN_COUNT = 12;

    static ClaimedRow of(Row row) {
        return new ClaimedRow(
                row.getLong(0),
                row.getUUID(1),
                row.getInteger(2),
                row.getLong(3),
                row.getLong(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                row.getString(8),
                row.getBuffer(9),
                row.getString(10),
                row.getBuffer(11));
    }

    /** The body's MD5 in hex: as the send stored it, or computed for a row stored without it ({@code V7}). */
    String md5OfBody() {
        return bodyMd5 == null ? MessageDigests.ofBody(body) : MessageDigests.hex(bodyMd5.getBytes());
    }
}
