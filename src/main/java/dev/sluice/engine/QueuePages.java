package dev.sluice.engine;

import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One queue's paged messages (README, Paged index): the pages in sequence order, a double-ended queue of descriptors,
 * and the ready messages that wait in memory behind the first page. The first page's first sequence is the
 * <em>horizon</em>: the queue's ready messages below it are its window, receivable as ever; ready messages at or above
 * it are {@link #held} (the tail of sends behind the last page, and messages that became ready again inside the paged
 * region), receivable only once the pages before them are paged in, so order holds and a FIFO group's later message is
 * never received before an earlier one that is paged. A queue without pages has none of this ({@code Queue.pages} is
 * null). All access holds the queue's lock.
 */
final class QueuePages {
    /** A page: stored, or on its way out (its messages held here until the store has them) or in. */
    static final class Page {
        final long firstSequence;
        final long lastSequence;
        final int count;
        final long oldestEnqueuedMillis;
        final long newestEnqueuedMillis;
        /** The store's descriptor; null while the page-out is in flight. */
        StoredPage stored;
        /** The messages of a page-out in flight, not receivable until it fails; null once stored. */
        List<Message> outgoing;
        /** A page-in is in flight. */
        boolean incoming;
        /** Retention wants it in: some of its messages are past the retention period, not all. */
        boolean wanted;

        Page(StoredPage stored) {
            this.stored = stored;
            this.firstSequence = stored.firstSequence();
            this.lastSequence = stored.lastSequence();
            this.count = stored.count();
            this.oldestEnqueuedMillis = stored.oldestEnqueuedMillis();
            this.newestEnqueuedMillis = stored.newestEnqueuedMillis();
        }

        /** A page-out of messages in ascending sequence. */
        Page(List<Message> outgoing) {
            this.outgoing = outgoing;
            this.firstSequence = outgoing.getFirst().sequence;
            this.lastSequence = outgoing.getLast().sequence;
            this.count = outgoing.size();
            long oldest = Long.MAX_VALUE;
            long newest = Long.MIN_VALUE;
            for (Message message : outgoing) {
                oldest = Math.min(oldest, message.enqueuedMillis);
                newest = Math.max(newest, message.enqueuedMillis);
            }
            this.oldestEnqueuedMillis = oldest;
            this.newestEnqueuedMillis = newest;
        }

        boolean inTransit() {
            return stored == null || incoming;
        }

        /** What the store is given to page out. */
        List<StoredMessage> storedMessages() {
            List<StoredMessage> messages = new ArrayList<>(outgoing.size());
            outgoing.forEach(message -> messages.add(message.stored));
            return messages;
        }
    }

    final Pager pager;
    private final ArrayDeque<Page> pages = new ArrayDeque<>();
    /** Ready messages at or above the horizon, by sequence. */
    private final TreeMap<Long, Message> held = new TreeMap<>();

    private long horizon = Long.MAX_VALUE;
    private long oldestPaged = Long.MAX_VALUE;
    private int pagedCount;
    /** Messages of the pages on their way in: the window has them already when it decides whether to ask for more. */
    private int incomingCount;
    /** Pages retention wants in ({@link Page#wanted}): a drain looks for them only when there are any. */
    private int wantedCount;
    /** A page-in is asked of the pager and not yet started. */
    private boolean pageInRequested;

    QueuePages(Pager pager) {
        this.pager = pager;
    }

    long horizon() {
        return horizon;
    }

    /** Messages in pages, stored or in transit. */
    int pagedCount() {
        return pagedCount;
    }

    int heldCount() {
        return held.size();
    }

    /** When the oldest paged message was sent, or MAX_VALUE. */
    long oldestPagedMillis() {
        return oldestPaged;
    }

    boolean isEmpty() {
        return pages.isEmpty() && held.isEmpty();
    }

    boolean holds(Page page) {
        return pages.contains(page);
    }

    void hold(Message message) {
        held.put(message.sequence, message);
    }

    boolean unhold(Message message) {
        return held.remove(message.sequence) != null;
    }

    /** Adds a page a restart found; call in ascending sequence. */
    void restore(StoredPage stored) {
        insert(new Page(stored), false);
    }

    /**
     * The next messages to page out, or null: a full page of the tail behind the last page, else the newest ready
     * messages of the window beyond its {@code window} messages (at most a page). Only messages whose delivery state is
     * still the stored one go into a page ({@link Message#pristine}); others stay held.
     */
    Page nextPageOut(NavigableMap<Long, Message> ready, int pageSize, int window) {
        if (!pages.isEmpty()) {
            List<Message> tail = new ArrayList<>(Math.min(pageSize, held.size()));
            for (Message message :
                    held.tailMap(pages.getLast().lastSequence, false).values()) {
                if (tail.size() == pageSize) {
                    break;
                }
                if (pageable(message)) {
                    tail.add(message);
                }
            }
            if (tail.size() == pageSize) {
                return new Page(tail);
            }
        }
        int excess = Math.min(pageSize, ready.size() - window);
        if (excess <= 0) {
            return null;
        }
        List<Message> newest = new ArrayList<>(excess);
        int scanned = 0;
        for (Message message : ready.descendingMap().values()) {
            if (scanned++ == excess) {
                break;
            }
            if (pageable(message)) {
                newest.add(message);
            }
        }
        if (newest.isEmpty()) {
            return null;
        }
        Collections.reverse(newest);
        return new Page(newest);
    }

    private static boolean pageable(Message message) {
        return message.pristine;
    }

    /** Puts a page in its place: before the first (out of the window) or after the last (the tail). */
    void insert(Page page) {
        insert(page, page.lastSequence < horizon);
    }

    private void insert(Page page, boolean first) {
        if (first) {
            pages.addFirst(page);
        } else {
            pages.addLast(page);
        }
        pagedCount += page.count;
        settle();
    }

    /** Takes a page out (paged in, dropped, or its page-out failed). */
    void remove(Page page) {
        if (pages.remove(page)) {
            pagedCount -= page.count;
            wantedCount -= page.wanted ? 1 : 0;
            settle();
        }
    }

    /** A page-in of {@code page} starts. */
    void startIncoming(Page page) {
        page.incoming = true;
        incomingCount += page.count;
    }

    /** A page-in of {@code page} landed or failed. */
    void endIncoming(Page page) {
        if (page.incoming) {
            page.incoming = false;
            incomingCount -= page.count;
        }
    }

    private void settle() {
        Page first = pages.peekFirst();
        horizon = first == null ? Long.MAX_VALUE : first.firstSequence;
        long oldest = Long.MAX_VALUE;
        for (Page page : pages) {
            oldest = Math.min(oldest, page.oldestEnqueuedMillis);
        }
        oldestPaged = oldest;
    }

    /** Moves the held messages below the horizon into {@code ready} (after a page left the front). */
    void release(NavigableMap<Long, Message> ready) {
        NavigableMap<Long, Message> below = held.headMap(horizon, false);
        ready.putAll(below);
        below.clear();
    }

    /** Moves the ready messages at or above the horizon into held (after a page went in front). */
    void withhold(NavigableMap<Long, Message> ready) {
        NavigableMap<Long, Message> above = ready.tailMap(horizon, true);
        held.putAll(above);
        above.clear();
    }

    /**
     * Asks the pager for a page-in when the window has room for the next page ({@link #nextPageIn}), or retention wants
     * a page. Called after messages leave the window, and after a page lands.
     */
    void drained(Queue queue, int windowCount) {
        if (pageInRequested || pages.isEmpty()) {
            return;
        }
        if (nextPageIn(windowCount) != null) {
            pageInRequested = true;
            pager.requestPageIn(queue);
        }
    }

    /** The pager takes up a requested page-in: the next drain may ask again. */
    void pageInTakenUp() {
        pageInRequested = false;
    }

    /**
     * The page to page in next, or null: one retention wants, else the first page not yet on its way in, counting the
     * pages on their way in as part of the window. It is due when the window is below its low-water mark ({@link
     * Pager#lowWindow}), and ahead of that when it fits in the window beside them and the budget has room for it
     * ({@link Pager#roomAhead}): so while pages remain, several may be in transit and the window does not run dry
     * while one is read, yet it never holds more than its size. Pages come in in sequence order; a page-out in flight
     * stops the look-ahead (its messages come back to the window if it fails).
     */
    Page nextPageIn(int windowCount) {
        for (Page page : wantedCount == 0 ? List.<Page>of() : pages) {
            if (page.wanted && !page.inTransit()) {
                return page;
            }
        }
        for (Page page : pages) {
            if (page.incoming) {
                continue;
            }
            if (page.stored == null) {
                return null;
            }
            int coming = windowCount + incomingCount;
            boolean due = coming < pager.lowWindow();
            boolean ahead = coming + page.count <= pager.window() && pager.roomAhead(page.count);
            return due || ahead ? page : null;
        }
        return null;
    }

    /**
     * Retention over pages: takes out the stored pages whose newest message is past {@code oldestKept} and returns
     * them; a page only partly past it is wanted in (its messages then expire in memory). Pages in transit wait.
     */
    List<Page> expire(long oldestKept) {
        List<Page> gone = new ArrayList<>(0);
        for (Page page : pages) {
            if (page.inTransit() || page.oldestEnqueuedMillis > oldestKept) {
                continue;
            }
            if (page.newestEnqueuedMillis <= oldestKept) {
                gone.add(page);
            } else if (!page.wanted) {
                page.wanted = true;
                wantedCount++;
            }
        }
        gone.forEach(this::remove);
        return gone;
    }

    /** The names of the stored pages not in transit: a purge drops them at once, the others when they land. */
    List<String> settledNames() {
        List<String> names = new ArrayList<>(pages.size());
        for (Page page : pages) {
            if (!page.inTransit()) {
                names.add(page.stored.name());
            }
        }
        return names;
    }

    /** The ids of the messages of page-outs in flight. */
    List<String> outgoingIds() {
        List<String> ids = new ArrayList<>(0);
        for (Page page : pages) {
            if (page.outgoing != null) {
                page.outgoing.forEach(message -> ids.add(message.id()));
            }
        }
        return ids;
    }

    /** The stored pages in sequence order, for read-only views. */
    List<StoredPage> stored() {
        List<StoredPage> stored = new ArrayList<>(pages.size());
        for (Page page : pages) {
            if (page.stored != null) {
                stored.add(page.stored);
            }
        }
        return stored;
    }

    /** The messages of page-outs in flight, for read-only views. */
    List<Message> outgoing() {
        List<Message> outgoing = new ArrayList<>(0);
        for (Page page : pages) {
            if (page.outgoing != null) {
                outgoing.addAll(page.outgoing);
            }
        }
        return outgoing;
    }
}
