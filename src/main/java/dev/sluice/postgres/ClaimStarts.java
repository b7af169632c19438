package dev.sluice.postgres;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where this replica's next claim of a standard queue without groups starts looking ({@link
 * ClaimStatements#UNGROUPED}): past the newest message it claimed. A claim from the start of the queue walks the
 * queue's index past every message in flight (and the dead rows of the deleted ones) before it finds a visible one; a
 * claim from here finds visible messages at once. A claim looks before its start only when it finds too few from its
 * start on, so a queue with visible messages never answers empty.
 *
 * <p>What a claim from its start can miss for a while: a message before it that is visible again (a deadline that
 * passed, a visibility change on another replica, a delay that ended) or that was sent with a lower sequence number
 * but committed later. Standard queues promise best-effort order only; still, at least every {@value
 * #FULL_CLAIM_EVERY_MILLIS} ms a claim starts from the beginning of the queue, and the claims after it keep doing so
 * while they find messages before the start. A visibility change to 0 on this replica makes the next claim start from
 * the beginning too ({@link #rewind}). A queue not claimed from the beginning for {@value #FORGET_AFTER_MILLIS} ms (a
 * queue left idle or deleted) is forgotten, so the starts of a replica that has served many queues take no memory for
 * the ones gone quiet.
 */
final class ClaimStarts {
    /** The longest a replica claims a queue from its start without one claim from the beginning. */
    static final long FULL_CLAIM_EVERY_MILLIS = 1_000;
    /** The start of a claim from the beginning of the queue (sequence numbers, from {@code message_seq}, are above it). */
    static final long BEGINNING = 0;

    /** An entry whose last claim from the beginning is this old is dropped: the next claim starts there anyway. */
    static final long FORGET_AFTER_MILLIS = 60_000;
    /** How many claims are recorded between two looks for entries to drop. */
    private static final int CLAIMS_BETWEEN_PRUNES = 1_024;
    /** A time long enough ago that the next claim starts from the beginning (and {@code now - NEVER} fits a long). */
    private static final long NEVER = Long.MIN_VALUE / 2;

    /** Claims start at {@code from}; the last claim from the beginning that found nothing before it was at {@code fullAt}. */
    private record Start(long from, long fullAt) {}

    private final ConcurrentHashMap<Long, Start> starts = new ConcurrentHashMap<>();
    private final AtomicInteger claimsSincePrune = new AtomicInteger();

    /** Where a claim of the queue at {@code now} starts: {@link #BEGINNING} when it is time for a claim from there. */
    long from(long queueId, long now) {
        Start start = starts.get(queueId);
        return start == null || now - start.fullAt() >= FULL_CLAIM_EVERY_MILLIS ? BEGINNING : start.from();
    }

    /** Records a claim at {@code now} that started at {@code from} and claimed {@code rows}. */
    void claimed(long queueId, long from, long now, List<ClaimedRow> rows) {
        long newest = BEGINNING;
        for (ClaimedRow row : rows) {
            newest = Math.max(newest, row.seq());
        }
        long next = newest == BEGINNING ? BEGINNING : newest + 1;
        starts.compute(queueId, (id, old) -> {
            long oldFrom = old == null ? BEGINNING : old.from();
            long fullAt = old == null ? NEVER : old.fullAt();
            if (from == BEGINNING && !foundBefore(rows, oldFrom)) {
                fullAt = now;
            }
            return new Start(Math.max(oldFrom, next), fullAt);
        });
        if (claimsSincePrune.incrementAndGet() >= CLAIMS_BETWEEN_PRUNES) {
            claimsSincePrune.set(0);
            starts.values().removeIf(start -> now - start.fullAt() >= FORGET_AFTER_MILLIS);
        }
    }

    /** How many queues this replica keeps a start for. */
    int size() {
        return starts.size();
    }

    /** Something before the start may be visible now: the next claim of the queue starts from the beginning. */
    void rewind(long queueId) {
        starts.computeIfPresent(queueId, (id, old) -> new Start(old.from(), NEVER));
    }

    /** Whether a claim from the beginning found a message before the start: there may be more of them. */
    private static boolean foundBefore(List<ClaimedRow> rows, long from) {
        for (ClaimedRow row : rows) {
            if (row.seq() < from) {
                return true;
            }
        }
        return false;
    }
}
