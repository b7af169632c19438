package dev.sluice.engine;

import dev.sluice.queues.MessagePage;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.PeekedMessage;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.rules.SequenceNumbers;
import dev.sluice.store.PageStore;
import dev.sluice.store.Store;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only view of a queue for the admin API and the console: a page of its messages as they stand (peek). Nothing
 * here changes a message, a count or the store. A peek is no receive: visibility and
 * receive counts stay as they were. A message past its retention period that no operation has removed yet is left
 * out, not deleted.
 *
 * <p>The page is picked under the queue's lock; bodies the engine dropped are read back from the store after the lock
 * is released, so a page of large bodies does not hold up the queue's sends and receives. A message deleted meanwhile
 * drops out of the page.
 */
final class QueueBrowser {
    static final int MAX_PAGE = 100;
    /** At most this many messages are looked at for one page, when a state filter skips most of them. */
    static final int MAX_SCAN = 10_000;

    private static final Pattern TOKEN = Pattern.compile("(\\d{1,18})-(\\d{1,19})");

    private final Store store;
    private final InstantSource clock;

    QueueBrowser(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A message picked for a page, with its delivery state as it was under the lock. */
    private record Picked(
            StoredMessage stored,
            PeekedMessage.State state,
            int receiveCount,
            long firstReceiveMillis,
            long visibleAtMillis) {}

    MessagePage peek(Queue queue, PeekRequest request) {
        int max = request.maxMessages();
        if (max < 1 || max > MAX_PAGE) {
            throw QueueException.invalidParameter("Value " + max
                    + " for parameter maxMessages is invalid. Reason: Must be between 1 and " + MAX_PAGE + ".");
        }
        long[] after = request.afterToken().map(QueueBrowser::place).orElse(new long[] {-1, -1});
        long now = clock.millis();
        List<Picked> picked = new ArrayList<>(max);
        String next = null;
        boolean fifo;
        List<StoredPage> pages = List.of();
        List<Picked> outgoing = new ArrayList<>(0);
        long oldestKept;
        synchronized (queue) {
            fifo = queue.settings.fifo();
            oldestKept = now - queue.settings.messageRetentionPeriod().toMillis();
            int scanned = 0;
            long lastAge = after[0];
            long lastSequence = after[1];
            for (Message message : queue.byAgeAfter(after[0], after[1])) {
                if (picked.size() == max || scanned == MAX_SCAN) {
                    next = lastAge + "-" + lastSequence;
                    break;
                }
                scanned++;
                lastAge = message.enqueuedMillis;
                lastSequence = message.sequence;
                PeekedMessage.State state = stateOf(message, now);
                if (message.enqueuedMillis > oldestKept
                        && request.state().map(wanted -> wanted == state).orElse(true)) {
                    picked.add(new Picked(
                            message.stored,
                            state,
                            message.receiveCount,
                            message.firstReceiveMillis,
                            message.visibleAtMillis));
                }
            }
            if (queue.pages != null) {
                pages = queue.pages.stored();
                for (Message message : queue.pages.outgoing()) {
                    outgoing.add(pickedOf(message.stored, message.delivery(), now));
                }
            }
        }
        if (!pages.isEmpty() || !outgoing.isEmpty()) {
            PagedPeek merged = new PagedPeek(picked, next, max, after, request, oldestKept, now);
            merged.addAll(outgoing);
            merged.read(pages);
            picked = merged.page();
            next = merged.next();
        }
        List<PeekedMessage> messages = new ArrayList<>(picked.size());
        for (Picked message : picked) {
            String body = message.stored().body() != null
                    ? message.stored().body()
                    : store.readBody(
                            message.stored().queueId(), message.stored().messageId());
            if (body != null) {
                messages.add(view(message, body, fifo, queue.key.region()));
            }
        }
        return new MessagePage(messages, next);
    }

    private static Picked pickedOf(StoredMessage stored, StoredDelivery delivery, long now) {
        PeekedMessage.State state = delivery.visibleAtMillis() <= now
                ? PeekedMessage.State.VISIBLE
                : delivery.receiveCount() == 0 ? PeekedMessage.State.DELAYED : PeekedMessage.State.IN_FLIGHT;
        return new Picked(
                stored, state, delivery.receiveCount(), delivery.firstReceiveMillis(), delivery.visibleAtMillis());
    }

    /**
     * A page of a peek over a queue with pages: the messages in memory that the walk picked, merged by age with the
     * paged ones (read in place, {@link PageStore#read}) that fall between the token and where the walk stopped.
     */
    private final class PagedPeek {
        private final List<Picked> candidates;
        private final String memoryNext;
        private final int max;
        private final long[] after;
        private final long[] limit;
        private final PeekRequest request;
        private final long oldestKept;
        private final long now;

        PagedPeek(
                List<Picked> picked,
                String memoryNext,
                int max,
                long[] after,
                PeekRequest request,
                long oldestKept,
                long now) {
            this.candidates = new ArrayList<>(picked);
            this.memoryNext = memoryNext;
            this.max = max;
            this.after = after;
            this.limit = memoryNext == null ? new long[] {Long.MAX_VALUE, Long.MAX_VALUE} : place(memoryNext);
            this.request = request;
            this.oldestKept = oldestKept;
            this.now = now;
        }

        void addAll(List<Picked> paged) {
            for (Picked message : paged) {
                long age = message.stored().enqueuedMillis();
                long sequence = message.stored().sequence();
                if (compare(age, sequence, after) > 0
                        && compare(age, sequence, limit) <= 0
                        && age > oldestKept
                        && request.state()
                                .map(wanted -> wanted == message.state())
                                .orElse(true)) {
                    candidates.add(message);
                }
            }
        }

        /** Reads the pages that may hold messages of this page, oldest first, until later ones cannot. */
        void read(List<StoredPage> pages) {
            List<StoredPage> byAge = new ArrayList<>(pages);
            byAge.sort(Comparator.comparingLong(StoredPage::oldestEnqueuedMillis));
            for (StoredPage page : byAge) {
                if (page.newestEnqueuedMillis() < after[0] || page.oldestEnqueuedMillis() > limit[0]) {
                    continue;
                }
                if (candidates.size() >= max) {
                    candidates.sort(BY_PLACE);
                    if (candidates.get(max - 1).stored().enqueuedMillis() < page.oldestEnqueuedMillis()) {
                        break;
                    }
                }
                List<Picked> paged = new ArrayList<>(page.count());
                for (StoreSnapshot.Entry entry : store.pages().orElseThrow().read(page)) {
                    paged.add(pickedOf(entry.message(), entry.delivery(), now));
                }
                addAll(paged);
            }
            candidates.sort(BY_PLACE);
        }

        List<Picked> page() {
            return candidates.size() > max ? candidates.subList(0, max) : candidates;
        }

        String next() {
            if (candidates.size() > max) {
                StoredMessage last = candidates.get(max - 1).stored();
                return last.enqueuedMillis() + "-" + last.sequence();
            }
            return memoryNext;
        }
    }

    private static final Comparator<Picked> BY_PLACE = Comparator.comparingLong(
                    (Picked picked) -> picked.stored().enqueuedMillis())
            .thenComparingLong(picked -> picked.stored().sequence());

    private static int compare(long age, long sequence, long[] place) {
        int byAge = Long.compare(age, place[0]);
        return byAge != 0 ? byAge : Long.compare(sequence, place[1]);
    }

    /** The same words as the queue's counts: visible, in flight (received, hidden) or delayed (never received). */
    private static PeekedMessage.State stateOf(Message message, long now) {
        if (message.visibleAtMillis <= now) {
            return PeekedMessage.State.VISIBLE;
        }
        return message.receiveCount == 0 ? PeekedMessage.State.DELAYED : PeekedMessage.State.IN_FLIGHT;
    }

    private static PeekedMessage view(Picked picked, String body, boolean fifo, String region) {
        StoredMessage stored = picked.stored();
        return new PeekedMessage(
                stored.messageId(),
                body,
                stored.messageAttributes(),
                stored.messageGroupId(),
                stored.messageDeduplicationId(),
                fifo ? SequenceNumbers.format(stored.sequence()) : null,
                stored.deadLetterSourceQueue() == null
                        ? null
                        : StoredNames.deadLetterSource(region, stored.deadLetterSourceQueue()),
                picked.state(),
                picked.receiveCount(),
                Instant.ofEpochMilli(stored.sentMillis()),
                picked.firstReceiveMillis() == 0 ? null : Instant.ofEpochMilli(picked.firstReceiveMillis()),
                Instant.ofEpochMilli(picked.visibleAtMillis()));
    }

    /** The age and sequence a page token names. */
    private static long[] place(String token) {
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            throw QueueException.invalidParameter("Value " + token + " for parameter next is invalid.");
        }
        try {
            return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
        } catch (NumberFormatException e) {
            throw QueueException.invalidParameter("Value " + token + " for parameter next is invalid.");
        }
    }
}
