package dev.sluice.compat;

/**
 * The reply to SendMessage (or one successful SendMessageBatch entry); MD5s are null when the server sent none, and
 * {@code sequenceNumber} is null except on FIFO queues.
 */
public record SentMessage(
        String messageId,
        String md5OfMessageBody,
        String md5OfMessageAttributes,
        String md5OfMessageSystemAttributes,
        String sequenceNumber) {}
