package dev.sluice.engine;

import dev.sluice.store.StoredMessage;
import java.time.Instant;

/** One message handed out by a receive, with the state that receive gave it. */
public record ReceivedMessage(
        StoredMessage message,
        String receiptHandle,
        String md5OfBody,
        String md5OfMessageAttributes,
        int receiveCount,
        Instant firstReceiveTimestamp) {}
