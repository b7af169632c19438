package dev.sluice.engine;

import dev.sluice.queues.Scheduler;
import dev.sluice.store.PageStore;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides when the engine pages (README, Paged index; {@link PagingPolicy}) and moves pages through the store's {@link
 * PageStore}, always on the scheduler, never on a request's thread: a send past the high-water mark only wakes it
 * ({@link MemoryBudget}), a receive that drains a window below its low-water mark only asks it ({@link QueuePages}).
 * A page-out takes the fullest queues' newest ready messages until the budget is below the low-water mark; a page-in
 * brings a queue's next pages back, several at once when the window has room for them ({@link QueuePages#nextPageIn}),
 * so reading one overlaps with committing the one before and the window stays fed while pages remain. Pages on their
 * way in are charged to the budget (an estimate per message) until they land. Queue locks are held only to pick and to
 * put back, never across the store's work.
 */
final class Pager {
    private static final Logger LOG = Logger.getLogger(Pager.class.getName());
    /** Pages one run writes before it lets the scheduler's other work go first. */
    private static final int PAGES_PER_RUN = 16;
    /** After a run found nothing to page, sends over the high-water mark wake it again only after this long. */
    private static final long QUIET_MILLIS = 100;

    private final PageStore pages;
    private final Store store;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final MemoryBudget memory;
    private final PagingPolicy policy;
    private final Supplier<Collection<Queue>> queues;
    /** Hands the messages of a page that came in to the receives parked on its queue. */
    private final Consumer<Queue> arrived;

    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Set<Queue> wantIn = ConcurrentHashMap.newKeySet();
    private volatile long quietUntilMillis;

    Pager(
            PageStore pages,
            Store store,
            InstantSource clock,
            Scheduler scheduler,
            MemoryBudget memory,
            PagingPolicy policy,
            Supplier<Collection<Queue>> queues,
            Consumer<Queue> arrived) {
        this.pages = pages;
        this.store = store;
        this.clock = clock;
        this.scheduler = scheduler;
        this.memory = memory;
        this.policy = policy;
        this.queues = queues;
        this.arrived = arrived;
    }

    /** Below this many messages (with those on their way in) a window asks for its next page, whatever the budget. */
    int lowWindow() {
        return policy.window() / 2;
    }

    /** The ready messages a queue keeps in memory while it has pages, those on their way in included. */
    int window() {
        return policy.window();
    }

    /** Whether a page of {@code count} messages may come in ahead of need: the budget stays at or below high water. */
    boolean roomAhead(int count) {
        return memory.usedBytes() + inTransitBytes(count) <= policy.highWaterBytes();
    }

    /** What a page on its way in is charged: its messages' base estimate (attributes are counted once they land). */
    private static long inTransitBytes(int count) {
        return (long) count * MemoryBudget.MESSAGE_BYTES;
    }

    /** The budget passed the high-water mark (a send saw it): page out, unless a run just found nothing to page. */
    void wake() {
        if (clock.millis() >= quietUntilMillis) {
            schedule();
        }
    }

    /** A queue's window ran low or retention wants one of its pages: page in. */
    void requestPageIn(Queue queue) {
        wantIn.add(queue);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            scheduler.schedule(clock.instant(), this::run);
        }
    }

    private void run() {
        scheduled.set(false);
        for (Queue queue : List.copyOf(wantIn)) {
            wantIn.remove(queue);
            pageIn(queue);
        }
        if (memory.usedBytes() > policy.highWaterBytes()) {
            pageOut();
        }
    }

    /** Pages out the fullest queues until the budget is below the low-water mark, a run's worth at a time. */
    private void pageOut() {
        Set<Queue> exhausted = new HashSet<>();
        for (int written = 0; written < PAGES_PER_RUN; ) {
            if (memory.usedBytes() <= policy.lowWaterBytes()) {
                return;
            }
            Queue queue = fullest(exhausted);
            if (queue == null) {
                quietUntilMillis = clock.millis() + QUIET_MILLIS;
                return;
            }
            if (pageOut(queue)) {
                written++;
            } else {
                exhausted.add(queue);
            }
        }
        schedule();
    }

    private Queue fullest(Set<Queue> exhausted) {
        Queue fullest = null;
        int most = 0;
        for (Queue queue : queues.get()) {
            int pageable = queue.pageable(policy.window());
            if (pageable > most && !exhausted.contains(queue)) {
                fullest = queue;
                most = pageable;
            }
        }
        return fullest;
    }

    private boolean pageOut(Queue queue) {
        QueuePages.Page page;
        List<StoredMessage> messages;
        synchronized (queue) {
            if (queue.deleted) {
                return false;
            }
            page = queue.startPageOut(this, policy.pageSize(), policy.window());
            if (page == null) {
                return false;
            }
            messages = page.storedMessages();
        }
        try {
            pages.pageOut(queue.queueId, messages)
                    .whenComplete((stored, failure) -> pagedOut(queue, page, stored, failure));
        } catch (RuntimeException e) {
            pagedOut(queue, page, null, e);
        }
        return true;
    }

    private void pagedOut(Queue queue, QueuePages.Page page, StoredPage stored, Throwable failure) {
        boolean serve = false;
        synchronized (queue) {
            if (failure != null) {
                LOG.log(
                        Level.WARNING,
                        "paging out " + page.count + " messages of queue " + queue.key.name()
                                + " failed; they stay in memory",
                        failure);
                if (!queue.deleted && queue.pages != null && queue.pages.holds(page)) {
                    queue.abandonPageOut(page, clock.millis());
                    serve = !queue.waiters.isEmpty();
                }
            } else if (queue.deleted || queue.pages == null || !queue.pages.holds(page)) {
                // Purged or deleted while it was being written: its messages are gone.
                store.commit(new StoreChange.DropPages(queue.queueId, List.of(stored.name())));
            } else {
                page.stored = stored;
                page.outgoing = null;
                // The window may have drained while the page was written (a page in transit is not paged in).
                queue.checkWindow();
            }
        }
        if (serve) {
            arrived.accept(queue);
        }
    }

    /** Starts the page-ins the queue's window has room for: at most as many pages as the window holds. */
    private void pageIn(Queue queue) {
        for (int started = 0; started <= policy.window() / policy.pageSize(); started++) {
            QueuePages.Page page;
            synchronized (queue) {
                if (queue.deleted) {
                    return;
                }
                page = queue.startPageIn();
                if (page == null) {
                    return;
                }
            }
            memory.add(inTransitBytes(page.count));
            try {
                pages.pageIn(page.stored).whenComplete((entries, failure) -> pagedIn(queue, page, entries, failure));
            } catch (RuntimeException e) {
                pagedIn(queue, page, null, e);
            }
        }
    }

    private void pagedIn(Queue queue, QueuePages.Page page, List<StoreSnapshot.Entry> entries, Throwable failure) {
        boolean serve = false;
        memory.add(-inTransitBytes(page.count));
        synchronized (queue) {
            if (queue.pages != null && queue.pages.holds(page)) {
                queue.pages.endIncoming(page);
            } else {
                page.incoming = false;
            }
            if (failure != null) {
                // The page stays; the next drain of the window asks for it again.
                LOG.log(
                        Level.WARNING,
                        "paging in page " + page.stored.name() + " of queue " + queue.key.name()
                                + " failed; it stays on disk",
                        failure);
            } else if (queue.deleted || queue.pages == null || !queue.pages.holds(page)) {
                // Purged or deleted while it was read: its messages, back in the store as messages, are gone.
                List<String> ids = new ArrayList<>(entries.size());
                entries.forEach(entry -> ids.add(entry.message().messageId()));
                if (!ids.isEmpty() && !queue.deleted) {
                    store.commit(new StoreChange.DeleteMessages(queue.queueId, ids));
                }
            } else {
                queue.finishPageIn(page, entries, clock.millis());
                serve = !queue.waiters.isEmpty();
            }
        }
        if (serve) {
            arrived.accept(queue);
        }
    }
}
