package dev.sluice.queues;

import dev.sluice.queues.rules.QueueSettings;
import java.time.Instant;
import java.util.Map;

/** A read-only view of a queue: identity, settings, tags, timestamps and the approximate message counts. */
public record QueueInfo(
        QueueKey key,
        QueueSettings settings,
        Map<String, String> tags,
        Instant created,
        Instant lastModified,
        int visible,
        int inFlight,
        int delayed) {}
