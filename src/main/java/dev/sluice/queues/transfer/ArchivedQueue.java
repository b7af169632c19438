package dev.sluice.queues.transfer;

import dev.sluice.queues.QueueKey;
import java.util.Map;

/**
 * A queue as an export holds it: its key, the attributes set on it (AWS names, string values, the defaults filled in,
 * as both backends keep them: Policy, RedrivePolicy and RedriveAllowPolicy among them), its tags, its timestamps, and
 * the sequence number its next message gets (greater than every message's it holds, so FIFO sequence numbers keep
 * rising after a restore).
 */
public record ArchivedQueue(
        QueueKey key,
        Map<String, String> attributes,
        Map<String, String> tags,
        long createdMillis,
        long lastModifiedMillis,
        long nextSequence) {

    public ArchivedQueue {
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
    }
}
