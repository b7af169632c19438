package dev.sluice.quota;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tenant's quotas: the requests its account may make each second, the bytes of requests and replies it may move
 * each second, and request rates of some of its queues by name (whoever calls them). An empty part is no limit.
 */
public record Quota(Optional<Rate> requests, Optional<Rate> bytes, Map<String, Rate> queues) {
    public static final Quota NONE = new Quota(Optional.empty(), Optional.empty(), Map.of());

    public Quota {
        queues = java.util.Collections.unmodifiableMap(new TreeMap<>(queues));
    }

    public boolean isEmpty() {
        return requests.isEmpty() && bytes.isEmpty() && queues.isEmpty();
    }
}
