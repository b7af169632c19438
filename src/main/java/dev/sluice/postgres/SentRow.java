package dev.sluice.postgres;

import java.util.UUID;

/**
 * What a send stored for one message: its id and sequence number. {@code duplicate}: a FIFO send whose
 * deduplication key was still remembered, answered with the first message's id and sequence; nothing was stored.
 */
record SentRow(UUID messageId, long seq, boolean duplicate) {}
