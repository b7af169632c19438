package dev.sluice.engine;

import dev.sluice.queues.rules.SqsLimits;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoredDeduplication;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FIFO exactly-once sends on one queue: each deduplication key with the first message sent under it, remembered for
 * {@link SqsLimits#DEDUPLICATION_WINDOW} even after that message is deleted, and stored, so a restart keeps it. Held by
 * its queue; all access holds the queue's monitor.
 */
final class Deduplications {
    /** The first message sent with a deduplication key, remembered until {@code expiresAtMillis}. */
    record First(String messageId, long sequence, long expiresAtMillis) {}

    /** In the order they were recorded, so the oldest expire first. */
    private final LinkedHashMap<String, First> byKey = new LinkedHashMap<>();

    /** The first message sent under the key within the window, or null. */
    First firstSent(String key) {
        return byKey.get(key);
    }

    /** Records the first message sent under the key, in memory and in the transition. */
    void remember(String queueId, String key, String messageId, long sequence, Transition transition) {
        long expiresAt = transition.now + SqsLimits.DEDUPLICATION_WINDOW.toMillis();
        byKey.put(key, new First(messageId, sequence, expiresAt));
        transition.add(new StoreChange.PutDeduplication(
                new StoredDeduplication(queueId, key, messageId, sequence, expiresAt)));
    }

    /** A record the store kept; restored oldest first. */
    void restore(StoredDeduplication stored) {
        byKey.put(stored.key(), new First(stored.messageId(), stored.sequence(), stored.expiresAtMillis()));
    }

    /** Forgets the keys whose window is over, in memory and in the transition. */
    void expire(String queueId, Transition transition) {
        List<String> expired = new ArrayList<>(0);
        for (Iterator<Map.Entry<String, First>> it = byKey.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, First> entry = it.next();
            if (entry.getValue().expiresAtMillis() > transition.now) {
                break;
            }
            expired.add(entry.getKey());
            it.remove();
        }
        if (!expired.isEmpty()) {
            transition.add(new StoreChange.DeleteDeduplications(queueId, expired));
        }
    }

    /** Forgets every key (PurgeQueue) and returns them. */
    List<String> clear() {
        List<String> keys = new ArrayList<>(byKey.keySet());
        byKey.clear();
        return keys;
    }
}
