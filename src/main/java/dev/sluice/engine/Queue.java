package dev.sluice.engine;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.SqsLimits;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredPage;
import dev.sluice.store.StoredQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One queue's working state and its indexes. Every message is in exactly one of {@code ready} (visible now, in send
 * order) or {@code pending} (delayed or in flight, by the instant it becomes visible); moving the due ones from
 * pending to ready ({@link #promote}) is what time passing means. Counts for GetQueueAttributes are kept as the
 * messages move, so they cost nothing to read. All access holds the queue's monitor.
 */
final class Queue {
    final String queueId;
    final QueueKey key;
    /** Volatile: other queues read it without this queue's lock (redrive checks). */
    volatile QueueSettings settings;

    Map<String, String> tags;
    final long createdMillis;
    long lastModifiedMillis;
    /** Atomic: a dead-letter move takes a sequence in this queue while holding only the source queue's lock. */
    private final AtomicLong lastSequence;

    boolean deleted;
    /** When PurgeQueue last ran on this queue, or null. */
    Long lastPurgeMillis;

    final Map<String, Message> byId = new HashMap<>();
    /** Every message by age (sent time, then sequence): the oldest expire first. */
    private final TreeSet<Message> byAge = new TreeSet<>(Message.BY_AGE);

    private final TreeMap<Long, Message> ready = new TreeMap<>();
    private final TreeSet<Message> pending = new TreeSet<>(Message.BY_VISIBLE_AT);
    private int delayedCount;
    private int inFlightCount;

    /** The queue's pages and the ready messages held behind them, or null while it has none ({@link QueuePages}). */
    QueuePages pages;

    /** FIFO: each message group's messages in order; the first is the only one that may be received. */
    private final Map<String, TreeMap<Long, Message>> groups = new HashMap<>();
    /** In-flight messages per message group: blocks a FIFO group, marks a noisy fair-queue tenant. */
    private final Map<String, Integer> inFlightByGroup = new HashMap<>();
    /** FIFO deduplication keys and the first message sent under each. */
    final Deduplications deduplications = new Deduplications();

    /** FIFO: the answers of receives by ReceiveRequestAttemptId, for their retries. */
    final ReceiveAttempts receiveAttempts = new ReceiveAttempts();

    /** What one receive took: messages to hand out and messages to move to the dead-letter queue. */
    record Claim(List<Message> received, List<Message> deadLettered) {}

    static final int NOISY_MIN_IN_FLIGHT = 30;
    static final int FAIR_SCAN_LIMIT = 1000;

    /** The long polls parked on this queue. */
    final Waiters waiters = new Waiters();

    /** Counts for metrics: sends, receives, deletes, dead-letter moves. */
    final QueueActivity activity = new QueueActivity();

    /** The count of messages in all the queues of this queue's account. */
    final AccountMessages account;

    /** The region as the queue's record holds it: null for the default region ({@link StoredNames}). */
    private final String storedRegion;

    /** The heap all queues' messages may take; this queue's share is {@link #footprintBytes}. */
    private final MemoryBudget memory;

    private long footprintBytes;

    Queue(StoredQueue stored, String region, AccountMessages account, MemoryBudget memory) {
        this.account = account;
        this.memory = memory;
        this.queueId = stored.queueId();
        this.storedRegion = stored.region();
        this.key = new QueueKey(region, stored.accountId(), stored.name());
        this.settings = QueueSettings.of(stored.attributes());
        this.tags = stored.tags();
        this.createdMillis = stored.createdMillis();
        this.lastModifiedMillis = stored.lastModifiedMillis();
        this.lastSequence = new AtomicLong(stored.nextSequence());
    }

    StoredQueue stored() {
        return new StoredQueue(
                queueId,
                storedRegion,
                key.accountId(),
                key.name(),
                settings.values(),
                tags,
                createdMillis,
                lastModifiedMillis,
                lastSequence.get());
    }

    /** A sequence number above every earlier one and, across restarts, above any issued before (it tracks time). */
    long nextSequence(long nowMillis) {
        return lastSequence.updateAndGet(last -> Math.max(last + 1, nowMillis * 1000));
    }

    /** Raises the last issued sequence to at least {@code sequence}, which was issued before a restart. */
    void issuedBefore(long sequence) {
        lastSequence.accumulateAndGet(sequence, Math::max);
    }

    /**
     * FIFO: holds a just-sent message's place in its group from the send until it is committed and {@link #add added},
     * so a later message of the group whose commit is handed over first cannot be received before it.
     */
    void reserve(Message message) {
        if (settings.fifo()) {
            groups.computeIfAbsent(message.group(), g -> new TreeMap<>()).put(message.sequence, message);
        }
    }

    /** Gives up the place {@link #reserve} held for a message whose commit failed. */
    void release(Message message) {
        TreeMap<Long, Message> group = settings.fifo() ? groups.get(message.group()) : null;
        if (group != null && !byId.containsKey(message.id())) {
            group.remove(message.sequence);
            if (group.isEmpty()) {
                groups.remove(message.group());
            }
        }
    }

    /**
     * Adds the messages a restart found, as {@link #add} would one by one, but builds the large indexes (ready, by
     * age) from sorted runs in linear time.
     */
    void restore(List<Message> messages, long nowMillis) {
        if (!byId.isEmpty() || !ready.isEmpty() || pages != null) {
            messages.forEach(message -> add(message, nowMillis));
            return;
        }
        account.add(messages.size());
        long restoredBytes = 0;
        for (Message message : messages) {
            restoredBytes += footprintOf(message);
        }
        charge(restoredBytes);
        List<Message> bySequence = new ArrayList<>(messages);
        bySequence.sort(java.util.Comparator.comparingLong(message -> message.sequence));
        List<Message> readyNow = new ArrayList<>(bySequence.size());
        for (Message message : bySequence) {
            byId.put(message.id(), message);
            if (settings.fifo()) {
                groups.computeIfAbsent(message.group(), g -> new TreeMap<>()).put(message.sequence, message);
            }
            if (message.visibleAtMillis <= nowMillis) {
                readyNow.add(message);
            } else {
                pending.add(message);
                countPending(message, 1);
            }
        }
        if (!bySequence.isEmpty()) {
            lastSequence.accumulateAndGet(bySequence.getLast().sequence, Math::max);
        }
        ready.putAll(SortedViews.bySequence(readyNow));
        bySequence.sort(Message.BY_AGE);
        byAge.addAll(SortedViews.sortedBy(bySequence, Message.BY_AGE));
    }

    void add(Message message, long nowMillis) {
        account.add(1);
        addReserved(message, nowMillis);
    }

    /** Adds a message its account counted when it was made (a send's or a move's reservation). */
    void addReserved(Message message, long nowMillis) {
        charge(footprintOf(message));
        byId.put(message.id(), message);
        byAge.add(message);
        lastSequence.accumulateAndGet(message.sequence, Math::max);
        if (settings.fifo()) {
            groups.computeIfAbsent(message.group(), g -> new TreeMap<>()).put(message.sequence, message);
        }
        place(message, nowMillis);
    }

    void remove(Message message) {
        account.add(-1);
        detach(message);
    }

    /** Takes a message out of every index and the memory budget; its account still counts it (a page holds it). */
    private void detach(Message message) {
        charge(-message.footprint);
        byId.remove(message.id());
        byAge.remove(message);
        if (settings.fifo()) {
            TreeMap<Long, Message> group = groups.get(message.group());
            group.remove(message.sequence);
            if (group.isEmpty()) {
                groups.remove(message.group());
            }
        }
        unplace(message);
    }

    /** The message's footprint, computed the first time it is added (a message's fields never change it later). */
    private int footprintOf(Message message) {
        if (message.footprint == 0) {
            message.footprint = memory.footprint(message.stored);
        }
        return message.footprint;
    }

    /**
     * Adds to this queue's share of the memory budget. A deleted queue gave its share back ({@link #releaseMemory}):
     * what an operation that raced the deletion still does to it counts no more.
     */
    private void charge(long bytes) {
        if (!deleted) {
            footprintBytes += bytes;
            memory.add(bytes);
        }
    }

    /** Gives back this queue's whole share of the memory budget; call it after marking the queue deleted. */
    void releaseMemory() {
        memory.add(-footprintBytes);
        footprintBytes = 0;
    }

    /** Removes a message added before its commit, which then failed; nothing if it is gone already. */
    void forget(Message message) {
        if (byId.get(message.id()) == message) {
            remove(message);
        }
    }

    /** Sets when the message is next visible, moving it between ready and pending as needed. */
    void reschedule(Message message, long visibleAtMillis, long nowMillis) {
        unplace(message);
        message.pristine = false;
        message.visibleAtMillis = visibleAtMillis;
        place(message, nowMillis);
    }

    private void place(Message message, long nowMillis) {
        if (message.visibleAtMillis <= nowMillis) {
            makeReady(message);
        } else {
            pending.add(message);
            countPending(message, 1);
        }
    }

    /** Into the window, or held behind the pages when its sequence is at or past the first page's. */
    private void makeReady(Message message) {
        if (pages != null && message.sequence >= pages.horizon()) {
            pages.hold(message);
        } else {
            ready.put(message.sequence, message);
        }
    }

    private void unplace(Message message) {
        if (ready.remove(message.sequence) == null
                && (pages == null || !pages.unhold(message))
                && pending.remove(message)) {
            countPending(message, -1);
        }
    }

    /** Delayed (never received) or in flight, and for in-flight messages their group's count. */
    private void countPending(Message message, int delta) {
        if (message.receiveCount == 0) {
            delayedCount += delta;
            return;
        }
        inFlightCount += delta;
        if (message.group() != null) {
            inFlightByGroup.merge(message.group(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /** Moves every message whose visibility time has come into ready. */
    void promote(long nowMillis) {
        while (!pending.isEmpty() && pending.first().visibleAtMillis <= nowMillis) {
            Message message = pending.pollFirst();
            countPending(message, -1);
            makeReady(message);
        }
    }

    /** Removes the messages older than the retention period (SQS deletes them, in flight or not) and returns them. */
    List<String> expire(long nowMillis) {
        long oldestKept = nowMillis - settings.messageRetentionPeriod().toMillis();
        List<String> expired = new ArrayList<>(0);
        while (!byAge.isEmpty() && byAge.first().enqueuedMillis <= oldestKept) {
            Message message = byAge.first();
            remove(message);
            expired.add(message.id());
        }
        return expired;
    }

    /**
     * Takes up to {@code max} receivable messages and makes them invisible until the given time. A message already
     * received {@code maxReceiveCount} times (0: no redrive policy) is taken out for the dead-letter queue instead.
     * Which messages are receivable depends on the queue type: see {@link #candidates}. At most as many as keep the
     * queue within {@link SqsLimits#MAX_IN_FLIGHT} messages in flight.
     */
    Claim claim(int requested, long visibleAtMillis, long nowMillis, int maxReceiveCount) {
        // SQS's in-flight limit: past it a receive gets nothing (the caller decides whether that is OverLimit).
        int max = Math.min(requested, SqsLimits.MAX_IN_FLIGHT - inFlightCount);
        List<Message> received = new ArrayList<>(Math.max(0, Math.min(max, ready.size())));
        List<Message> deadLettered = new ArrayList<>(0);
        while (received.size() < max) {
            List<Message> candidates = candidates(max - received.size());
            if (candidates.isEmpty()) {
                break;
            }
            for (Message message : candidates) {
                if (maxReceiveCount > 0 && message.receiveCount >= maxReceiveCount) {
                    remove(message);
                    deadLettered.add(message);
                    continue;
                }
                ready.remove(message.sequence);
                message.pristine = false;
                message.receiveCount++;
                if (message.firstReceiveMillis == 0) {
                    message.firstReceiveMillis = nowMillis;
                }
                message.lastReceiveMillis = nowMillis;
                message.visibleAtMillis = visibleAtMillis;
                // Placed in pending at once even when due (timeout 0), so this receive does not take it twice and
                // its group counts as in flight; promote() makes it visible again.
                pending.add(message);
                countPending(message, 1);
                received.add(message);
            }
        }
        if (pages != null) {
            pages.drained(this, ready.size());
        }
        return new Claim(received, deadLettered);
    }

    /**
     * Undoes a receive of an in-flight message whose answer never reached the consumer: visible again at once, and
     * its receive count (and first receive time, if that was the first) as before, so the lost receive does not count
     * toward a redrive policy's maxReceiveCount.
     */
    void unreceive(Message message, long nowMillis) {
        unplace(message);
        message.pristine = false;
        message.receiveCount--;
        if (message.receiveCount == 0) {
            message.firstReceiveMillis = 0;
        }
        message.visibleAtMillis = nowMillis;
        place(message, nowMillis);
    }

    /**
     * The next receivable messages, at most {@code max}, still in ready.
     *
     * <p>FIFO: only the first message of a group, once it is visible, followed by as many of the same group's next
     * messages as are visible (SQS returns as many of one group as it can, in order). Standard: oldest first,
     * except that with fair queues a noisy message group waits behind the others (see {@link #isNoisy}).
     */
    private List<Message> candidates(int max) {
        List<Message> out = new ArrayList<>(max);
        if (settings.fifo()) {
            for (Message head : ready.values()) {
                if (out.size() >= max) {
                    break;
                }
                // SQS: a group is released as soon as its first message is receivable again, even while later ones
                // are still in flight (they come after it, so the order holds).
                TreeMap<Long, Message> group = groups.get(head.group());
                if (group.firstKey() != head.sequence) {
                    continue;
                }
                for (Message next : group.values()) {
                    if (out.size() >= max || !ready.containsKey(next.sequence)) {
                        break;
                    }
                    out.add(next);
                }
                // One group per call: taking more would need a fresh look at ready, which out now shadows.
                break;
            }
            return out;
        }
        if (inFlightByGroup.isEmpty()) {
            for (Message message : ready.values()) {
                if (out.size() >= max) {
                    break;
                }
                out.add(message);
            }
            return out;
        }
        List<Message> noisy = new ArrayList<>();
        int scanned = 0;
        for (Message message : ready.values()) {
            if (out.size() >= max || scanned++ >= FAIR_SCAN_LIMIT) {
                break;
            }
            if (message.group() != null && isNoisy(message.group())) {
                if (noisy.size() < max) {
                    noisy.add(message);
                }
            } else {
                out.add(message);
            }
        }
        for (int i = 0; out.size() < max && i < noisy.size(); i++) {
            out.add(noisy.get(i));
        }
        return out;
    }

    /**
     * Fair queues (standard queues with MessageGroupId, SQS developer guide): a message group is noisy while the
     * queue has at least {@value #NOISY_MIN_IN_FLIGHT} messages in flight and the group holds more than 10% of them.
     * A receive then hands out other groups' messages (and messages without a group) first, looking at most
     * {@value #FAIR_SCAN_LIMIT} ready messages ahead, and only fills up with the noisy groups' messages.
     */
    private boolean isNoisy(String group) {
        int groupInFlight = inFlightByGroup.getOrDefault(group, 0);
        return inFlightCount >= NOISY_MIN_IN_FLIGHT && groupInFlight * 10 > inFlightCount;
    }

    /** Removes up to {@code max} visible messages, oldest first, whatever their group (message move tasks). */
    List<Message> takeReady(int max) {
        List<Message> taken = new ArrayList<>(Math.min(max, ready.size()));
        while (taken.size() < max && !ready.isEmpty()) {
            Message message = ready.firstEntry().getValue();
            remove(message);
            taken.add(message);
        }
        if (pages != null) {
            pages.drained(this, ready.size());
        }
        return taken;
    }

    /** Messages in the queue, paged ones included. */
    int messageCount() {
        return byId.size() + (pages == null ? 0 : pages.pagedCount());
    }

    /** Every message from the oldest, or after the one of the given age and sequence: a read-only walk. */
    Iterable<Message> byAgeAfter(long enqueuedMillis, long sequence) {
        return enqueuedMillis < 0 ? byAge : byAge.tailSet(Message.probe(enqueuedMillis, sequence), false);
    }

    /**
     * Removes every message and returns their ids; paged ones go too (the caller drops the settled pages, {@link
     * QueuePages#settledNames}; those in transit are dropped when they land, as the queue no longer holds them).
     */
    List<String> clear() {
        List<String> ids = new ArrayList<>(byId.keySet());
        account.add(-messageCount());
        if (pages != null) {
            ids.addAll(pages.outgoingIds());
            pages = null;
        }
        charge(-footprintBytes);
        byId.clear();
        byAge.clear();
        ready.clear();
        pending.clear();
        groups.clear();
        inFlightByGroup.clear();
        delayedCount = 0;
        inFlightCount = 0;
        return ids;
    }

    /**
     * Whether a receive now would get a message (for FIFO, ready messages of blocked groups do not count; none at the
     * in-flight limit).
     */
    boolean hasReceivable() {
        return inFlightCount < SqsLimits.MAX_IN_FLIGHT && !candidates(1).isEmpty();
    }

    /** When the next not-yet-visible message becomes visible, or MAX_VALUE. */
    long nextVisibleAtMillis() {
        return pending.isEmpty() ? Long.MAX_VALUE : pending.first().visibleAtMillis;
    }

    /** When the oldest message still in the queue was sent, or -1 if it holds none. */
    long oldestEnqueuedMillis() {
        long paged = pages == null ? Long.MAX_VALUE : pages.oldestPagedMillis();
        long oldest = Math.min(byAge.isEmpty() ? Long.MAX_VALUE : byAge.first().enqueuedMillis, paged);
        return oldest == Long.MAX_VALUE ? -1 : oldest;
    }

    /** Visible messages: the window, and with pages the held and paged ones. */
    int visibleCount() {
        return ready.size() + (pages == null ? 0 : pages.heldCount() + pages.pagedCount());
    }

    // ---- paging (QueuePages, Pager): called holding the queue's lock

    /** A page a restart found (in ascending sequence, before the messages are restored). */
    void restorePage(StoredPage stored, Pager pager) {
        if (pages == null) {
            pages = new QueuePages(pager);
        }
        pages.restore(stored);
        account.add(stored.count());
        issuedBefore(stored.lastSequence());
    }

    /** Asks for a page-in if the window is low: after a start, or after a page came in. */
    void checkWindow() {
        if (pages != null) {
            pages.drained(this, ready.size());
        }
    }

    /** How many messages a page-out of this queue could take now (an estimate read without the lock). */
    int pageable(int window) {
        QueuePages current = pages;
        return Math.max(0, ready.size() - window) + (current == null ? 0 : current.heldCount());
    }

    /**
     * Starts a page-out: takes the next run of messages out of the queue (no longer receivable, their memory given
     * back, still counted) behind a page in transit; null if there is none to take.
     */
    QueuePages.Page startPageOut(Pager pager, int pageSize, int window) {
        QueuePages current = pages != null ? pages : new QueuePages(pager);
        QueuePages.Page page = current.nextPageOut(ready, pageSize, window);
        if (page == null) {
            return null;
        }
        pages = current;
        page.outgoing.forEach(this::detach);
        current.insert(page);
        current.withhold(ready);
        return page;
    }

    /** A page-out that failed: its messages come back as they were. */
    void abandonPageOut(QueuePages.Page page, long nowMillis) {
        pages.remove(page);
        pages.release(ready);
        for (Message message : page.outgoing) {
            addReserved(message, nowMillis);
        }
        page.outgoing = null;
        dropPagesIfEmpty();
    }

    /** Starts a page-in if one is due; null if none. */
    QueuePages.Page startPageIn() {
        if (pages == null) {
            return null;
        }
        pages.pageInTakenUp();
        QueuePages.Page page = pages.nextPageIn(ready.size());
        if (page != null) {
            pages.startIncoming(page);
        }
        return page;
    }

    /** A page came in: its messages join the queue (counted already) in their places. */
    void finishPageIn(QueuePages.Page page, List<StoreSnapshot.Entry> entries, long nowMillis) {
        pages.remove(page);
        pages.release(ready);
        account.add(entries.size() - page.count);
        for (StoreSnapshot.Entry entry : entries) {
            addReserved(Message.restored(entry.message(), entry.delivery()), nowMillis);
        }
        dropPagesIfEmpty();
        checkWindow();
    }

    /** Retention over pages: takes out the pages wholly past it and returns them (their messages leave the count). */
    List<QueuePages.Page> expirePages(long nowMillis) {
        long oldestKept = nowMillis - settings.messageRetentionPeriod().toMillis();
        if (pages == null || pages.oldestPagedMillis() > oldestKept) {
            return List.of();
        }
        List<QueuePages.Page> gone = pages.expire(oldestKept);
        for (QueuePages.Page page : gone) {
            account.add(-page.count);
        }
        pages.release(ready);
        QueuePages current = pages;
        dropPagesIfEmpty();
        if (pages != null) {
            current.drained(this, ready.size());
        }
        return gone;
    }

    private void dropPagesIfEmpty() {
        if (pages != null && pages.isEmpty()) {
            pages = null;
        }
    }

    int inFlightCount() {
        return inFlightCount;
    }

    int delayedCount() {
        return delayedCount;
    }
}
