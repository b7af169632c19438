package dev.sluice.postgres;

import dev.sluice.queues.Scheduler;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard queues' receives, merged while others are in the database ({@link Coalescer}): receives of one queue with
 * the same visibility timeout (and the same retention and redrive policy) that wait behind a claim in flight go out
 * as one claim of the sum of their MaxNumberOfMessages — one statement, one commit and one walk of the queue's
 * in-flight prefix instead of one each. The claim's {@code now} is the merged statement's (its receipt handles and
 * deadlines). The rows are spread round-robin in the claim's order (oldest first, noisy groups' last on a fair queue),
 * each receive at most its own maximum: the first receive gets the first row, the second the second, and so on, so
 * when fewer rows come back than were asked, every receive gets a share (no receive 0 while another gets 10), and
 * each receive's rows keep the claim's order. FIFO claims are never merged: a FIFO claim hands out whole runs of
 * groups, which this spread would break.
 */
final class MergedClaims {
    /** What receives must share to be merged into one claim. */
    record Key(long queueId, long timeoutMillis, long retentionMillis, long deadLetterQueueId, int maxReceiveCount) {}

    /** The dead-letter move a claim on a queue with a redrive policy runs first, for the claim's times. */
    interface DeadLetterMove {
        Pipeline.Step at(long now, long expiredBefore);
    }

    /** One receive: at most {@code max} messages; {@code move} is null without a redrive policy. */
    record Request(Key key, int max, DeadLetterMove move) {}

    /** What a receive got: its rows in the claim's order, claimed at {@code now}. */
    record Claimed(long now, List<ClaimedRow> rows) {}

    private final ClaimStatements claims;
    private final InstantSource clock;
    private final Coalescer<Key, Request, Claimed> coalescer;

    /** {@code clock} gives the claims' {@code now}; {@code staleClock} and {@code staleTimer} time the stale ones. */
    MergedClaims(
            ClaimStatements claims,
            InstantSource clock,
            InstantSource staleClock,
            Scheduler staleTimer,
            Coalescer.Limits limits) {
        this.claims = claims;
        this.clock = clock;
        this.coalescer = new Coalescer<>(limits, Request::max, this::claim, staleClock, staleTimer);
    }

    /** Claims for one receive, alone or with others. */
    Future<Claimed> claim(Request request) {
        return coalescer.submit(request.key(), request);
    }

    private Future<List<Claimed>> claim(List<Request> requests) {
        long now = clock.millis();
        Request first = requests.getFirst();
        Key key = first.key();
        int max = 0;
        for (Request request : requests) {
            max += request.max();
        }
        long expiredBefore = now - key.retentionMillis();
        long visibleAt = now + key.timeoutMillis();
        Future<List<ClaimedRow>> claimed = first.move() == null
                ? claims.claimFair(key.queueId(), now, visibleAt, expiredBefore, max)
                : claims.claimAfterMoving(
                        false,
                        first.move().at(now, expiredBefore),
                        key.queueId(),
                        now,
                        visibleAt,
                        expiredBefore,
                        max,
                        key.maxReceiveCount());
        return claimed.map(rows -> {
            if (requests.size() == 1) {
                return List.of(new Claimed(now, rows));
            }
            int[] maxes = new int[requests.size()];
            for (int i = 0; i < maxes.length; i++) {
                maxes[i] = requests.get(i).max();
            }
            List<List<ClaimedRow>> spread = spread(rows, maxes);
            List<Claimed> answers = new ArrayList<>(spread.size());
            for (List<ClaimedRow> share : spread) {
                answers.add(new Claimed(now, share));
            }
            return answers;
        });
    }

    /**
     * {@code rows} dealt round-robin, in their order, to requests of at most {@code maxes[i]} each; a full request is
     * skipped. Fails if there are more rows than the maxes sum to (a claim never returns more than it was asked).
     */
    static <T> List<List<T>> spread(List<T> rows, int[] maxes) {
        int n = maxes.length;
        List<List<T>> shares = new ArrayList<>(n);
        for (int max : maxes) {
            shares.add(new ArrayList<>(Math.min(max, rows.size())));
        }
        int next = 0;
        for (T row : rows) {
            int skipped = 0;
            while (shares.get(next).size() >= maxes[next]) {
                next = (next + 1) % n;
                if (++skipped > n) {
                    throw new IllegalStateException("a claim returned more rows than its requests asked for");
                }
            }
            shares.get(next).add(row);
            next = (next + 1) % n;
        }
        return shares;
    }
}
