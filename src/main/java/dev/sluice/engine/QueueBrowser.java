package dev.sluice.engine;

import dev.sluice.queues.MessagePage;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.PeekedMessage;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.rules.SequenceNumbers;
import dev.sluice.store.Store;
import dev.sluice.store.StoredMessage;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
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
        synchronized (queue) {
            fifo = queue.settings.fifo();
            long oldestKept = now - queue.settings.messageRetentionPeriod().toMillis();
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
