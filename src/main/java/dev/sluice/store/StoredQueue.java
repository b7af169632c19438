package dev.sluice.store;

import java.util.Map;

/**
 * A queue as it is kept on disk: its identity, the attributes the user set (AWS names, string values), its tags and
 * timestamps. {@code queueId} is unique per incarnation, so a queue deleted and created again under the same name
 * never sees the old one's messages. {@code region} is null for the default region ({@code sluice.region}): records
 * of Sluice before regions have none, and the default region's records are still written without one.
 */
public record StoredQueue(
        String queueId,
        String region,
        String accountId,
        String name,
        Map<String, String> attributes,
        Map<String, String> tags,
        long createdMillis,
        long lastModifiedMillis,
        long nextSequence) {

    public StoredQueue {
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
    }
}
