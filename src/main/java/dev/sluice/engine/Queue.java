package dev.sluice.engine;

import dev.sluice.store.StoredQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One queue's working state and its indexes. Every message is in exactly one of {@code ready} (visible now, in send
 * order) or {@code pending} (delayed or in flight, by the instant it becomes visible); moving the due ones from
 * pending to ready ({@link #promote}) is what time passing means. Counts for GetQueueAttributes are kept as the
 * messages move, so they cost nothing to read. All access holds the queue's monitor.
 */
final class Queue {
    private static final long NEVER_PURGED = Long.MIN_VALUE;

    final String queueId;
    final QueueKey key;
    QueueSettings settings;
    Map<String, String> tags;
    final long createdMillis;
    long lastModifiedMillis;
    long lastSequence;
    boolean deleted;
    /** When PurgeQueue last ran on this queue, or {@link #NEVER_PURGED}. */
    long lastPurgeMillis = NEVER_PURGED;

    final Map<String, Message> byId = new HashMap<>();
    /** Every message in send order: the oldest expire first. */
    private final TreeMap<Long, Message> bySequence = new TreeMap<>();

    private final TreeMap<Long, Message> ready = new TreeMap<>();
    private final TreeSet<Message> pending = new TreeSet<>(Message.BY_VISIBLE_AT);
    private int delayedCount;
    private int inFlightCount;

    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    Scheduler.Cancellable wake;
    long wakeAtMillis = Long.MAX_VALUE;

    Queue(StoredQueue stored) {
        this.queueId = stored.queueId();
        this.key = new QueueKey(stored.accountId(), stored.name());
        this.settings = QueueSettings.of(stored.attributes());
        this.tags = stored.tags();
        this.createdMillis = stored.createdMillis();
        this.lastModifiedMillis = stored.lastModifiedMillis();
        this.lastSequence = stored.nextSequence();
    }

    StoredQueue stored() {
        return new StoredQueue(
                queueId,
                key.accountId(),
                key.name(),
                settings.values(),
                tags,
                createdMillis,
                lastModifiedMillis,
                lastSequence);
    }

    /** A sequence number above every earlier one and, across restarts, above any issued before (it tracks time). */
    long nextSequence(long nowMillis) {
        lastSequence = Math.max(lastSequence + 1, nowMillis * 1000);
        return lastSequence;
    }

    void add(Message message, long nowMillis) {
        byId.put(message.id(), message);
        bySequence.put(message.stored.sequence(), message);
        lastSequence = Math.max(lastSequence, message.stored.sequence());
        place(message, nowMillis);
    }

    void remove(Message message) {
        byId.remove(message.id());
        bySequence.remove(message.stored.sequence());
        unplace(message);
    }

    /** Sets when the message is next visible, moving it between ready and pending as needed. */
    void reschedule(Message message, long visibleAtMillis, long nowMillis) {
        unplace(message);
        message.visibleAtMillis = visibleAtMillis;
        place(message, nowMillis);
    }

    private void place(Message message, long nowMillis) {
        if (message.visibleAtMillis <= nowMillis) {
            ready.put(message.stored.sequence(), message);
        } else {
            pending.add(message);
            if (message.receiveCount == 0) {
                delayedCount++;
            } else {
                inFlightCount++;
            }
        }
    }

    private void unplace(Message message) {
        if (ready.remove(message.stored.sequence()) == null && pending.remove(message)) {
            if (message.receiveCount == 0) {
                delayedCount--;
            } else {
                inFlightCount--;
            }
        }
    }

    /** Moves every message whose visibility time has come into ready. */
    void promote(long nowMillis) {
        while (!pending.isEmpty() && pending.first().visibleAtMillis <= nowMillis) {
            Message message = pending.pollFirst();
            if (message.receiveCount == 0) {
                delayedCount--;
            } else {
                inFlightCount--;
            }
            ready.put(message.stored.sequence(), message);
        }
    }

    /** Removes the messages older than the retention period (SQS deletes them, in flight or not) and returns them. */
    List<String> expire(long nowMillis) {
        long oldestKept = nowMillis - settings.messageRetentionPeriod().toMillis();
        List<String> expired = new ArrayList<>(0);
        while (!bySequence.isEmpty()
                && bySequence.firstEntry().getValue().stored.sentMillis() <= oldestKept) {
            Message message = bySequence.firstEntry().getValue();
            remove(message);
            expired.add(message.id());
        }
        return expired;
    }

    /** Takes up to {@code max} visible messages, oldest first, and makes them invisible until the given time. */
    List<Message> claim(int max, long visibleAtMillis, long nowMillis) {
        List<Message> claimed = new ArrayList<>(Math.min(max, ready.size()));
        while (claimed.size() < max && !ready.isEmpty()) {
            Message message = ready.pollFirstEntry().getValue();
            message.receiveCount++;
            if (message.firstReceiveMillis == 0) {
                message.firstReceiveMillis = nowMillis;
            }
            message.lastReceiveMillis = nowMillis;
            message.visibleAtMillis = visibleAtMillis;
            claimed.add(message);
        }
        // Placed after the loop: with a visibility timeout of 0 they are ready again, but not for this receive.
        claimed.forEach(message -> place(message, nowMillis));
        return claimed;
    }

    /** Removes every message and returns their ids. */
    List<String> clear() {
        List<String> ids = new ArrayList<>(byId.keySet());
        byId.clear();
        bySequence.clear();
        ready.clear();
        pending.clear();
        delayedCount = 0;
        inFlightCount = 0;
        return ids;
    }

    /** Whether PurgeQueue ran less than {@code interval} ago. */
    boolean purgedWithin(Duration interval, long nowMillis) {
        // Checked before subtracting: nowMillis - MIN_VALUE overflows to a negative number, "just purged".
        return lastPurgeMillis != NEVER_PURGED && nowMillis - lastPurgeMillis < interval.toMillis();
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** When the next not-yet-visible message becomes visible, or MAX_VALUE. */
    long nextVisibleAtMillis() {
        return pending.isEmpty() ? Long.MAX_VALUE : pending.first().visibleAtMillis;
    }

    int visibleCount() {
        return ready.size();
    }

    int inFlightCount() {
        return inFlightCount;
    }

    int delayedCount() {
        return delayedCount;
    }
}
