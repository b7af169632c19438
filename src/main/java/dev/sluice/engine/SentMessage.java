package dev.sluice.engine;

/** What SendMessage answers: the new id and the digests the SDK checks against what it sent. */
public record SentMessage(
        String messageId,
        String md5OfMessageBody,
        String md5OfMessageAttributes,
        String md5OfMessageSystemAttributes) {}
