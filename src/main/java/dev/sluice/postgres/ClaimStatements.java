package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ReceiveMessage's claim as one statement (one round trip): it picks visible messages, locks them with
 * {@code FOR UPDATE SKIP LOCKED} (a concurrent claimer, on this replica or another, skips them instead of waiting) and
 * sets their new deadline, receive count and receive times in the same statement. Messages past the retention
 * period are never claimed ({@code enqueued_at} at or before {@code expiredBefore}); removing them is background work.
 *
 * <p>Standard: the oldest visible messages, in send order. The update finds the rows the subquery locked by their
 * {@code ctid} (a TID scan; a row locked by this statement cannot move before its update), not by {@code queue_id}:
 * with {@code m.queue_id = $1} there, a queue created after the table's last ANALYZE looks empty to the planner, which
 * then reads the queue's whole index range and filters it, so each receive cost time in proportion to the backlog
 * (EXPLAIN ANALYZE with 20,000 queued: 34 ms instead of 0.2 ms). FIFO: the group rows are the lock. Up to {@code max}
 * groups whose head is visible (or expired) are locked {@code SKIP LOCKED} in the order of their
 * heads; from each, the run of visible messages from its head (an invisible one ends the run: a group is never
 * received out of order); those are claimed in group order and each group is marked busy until their deadline. A
 * group locked by another claim, a send or a delete is skipped, so no two receivers ever hold messages of one group.
 * The run is read in the statement's snapshot, which may predate a claim or delete of the same group that committed
 * before this statement reached the group's lock (PostgreSQL then re-checks the group row's new version, but the
 * messages are still read as the old snapshot has them). So the run's rows are locked and re-checked on their newest
 * versions, and only each group's unbroken prefix of still-visible rows is claimed: never a later message while an
 * earlier one of its group is in flight or gone. (Found by {@code FifoConcurrencyOnTwoReplicasTest}.)
 *
 * <p>A message received {@code $6} times (the redrive policy's maxReceiveCount; else no limit) is never claimed: a
 * FIFO run ends before it, and {@link #claimAfterMoving} moves it to the dead-letter queue first.
 */
final class ClaimStatements {
    static final String STANDARD = """
            update message m
            set visible_at = $3, receive_count = m.receive_count + 1,
                first_received_at = coalesce(m.first_received_at, $2), last_received_at = $2
            where m.ctid = any(array(
                  select c.ctid from message c
                  where c.queue_id = $1 and c.visible_at <= $2 and c.enqueued_at > $4 and c.receive_count < $6
                  order by c.seq
                  limit $5
                  for update skip locked))
              and m.visible_at <= $2
            returning\s""" + ClaimedRow.COLUMNS;

    static final String FIFO = """
            with grp as (
                select g.group_id, g.head_seq
                from message_group g
                where g.queue_id = $1 and g.head_seq is not null
                  and exists (select 1 from message h
                              where h.queue_id = $1 and h.seq = g.head_seq
                                and (h.visible_at <= $2 or h.enqueued_at <= $4))
                order by g.head_seq
                limit $5
                for update of g skip locked
            ), run as (
                select r.seq, grp.group_id
                from grp cross join lateral (
                    select m.seq, bool_and(m.visible_at <= $2 and m.receive_count < $6) over (order by m.seq) as ready
                    from message m
                    where m.queue_id = $1 and m.group_id = grp.group_id and m.enqueued_at > $4
                    order by m.seq
                    limit $5
                ) r
                where r.ready
                order by grp.head_seq, r.seq
                limit $5
            ), locked as (
                select m.seq from message m
                where m.queue_id = $1 and m.seq in (select seq from run) and m.visible_at <= $2
                for update of m
            ), prefix as (
                select p.seq from (
                    select run.seq,
                           bool_and(locked.seq is not null) over (partition by run.group_id order by run.seq) as whole
                    from run left join locked on locked.seq = run.seq
                ) p
                where p.whole
            ), claimed as (
                update message m
                set visible_at = $3, receive_count = m.receive_count + 1,
                    first_received_at = coalesce(m.first_received_at, $2), last_received_at = $2
                from prefix
                where m.queue_id = $1 and m.seq = prefix.seq and m.visible_at <= $2
                returning m.*
            ), busy as (
                update message_group g set busy_until = $3
                where g.queue_id = $1 and g.group_id in (select group_id from claimed)
            )
            select\s""" + ClaimedRow.COLUMNS + " from claimed";

    private static final Comparator<ClaimedRow> SEND_ORDER = Comparator.comparingLong(ClaimedRow::seq);

    private final Pool pool;

    ClaimStatements(Pool pool) {
        this.pool = pool;
    }

    /** Claims up to {@code max} messages of a standard queue until {@code visibleAt}, in send order. */
    Future<List<ClaimedRow>> claimStandard(long queueId, long now, long visibleAt, long expiredBefore, int max) {
        return pool.preparedQuery(STANDARD)
                .execute(arguments(queueId, now, visibleAt, expiredBefore, max, Integer.MAX_VALUE))
                .map(rows -> inOrder(rows, SEND_ORDER));
    }

    /** Claims up to {@code max} messages of a FIFO queue until {@code visibleAt}: whole runs of groups, in order. */
    Future<List<ClaimedRow>> claimFifo(long queueId, long now, long visibleAt, long expiredBefore, int max) {
        return pool.preparedQuery(FIFO)
                .execute(arguments(queueId, now, visibleAt, expiredBefore, max, Integer.MAX_VALUE))
                .map(rows -> inOrder(rows, groupOrder(rows)));
    }

    /**
     * A claim on a queue with a redrive policy, in one round trip: one transaction that first moves the messages
     * already received {@code maxReceiveCount} times to the dead-letter queue ({@code move}, see {@link
     * DeadLetterStatements}), then claims among the others (a message at the limit is never handed out again).
     */
    Future<List<ClaimedRow>> claimAfterMoving(
            boolean fifo,
            Pipeline.Step move,
            long queueId,
            long now,
            long visibleAt,
            long expiredBefore,
            int max,
            int maxReceiveCount) {
        List<Pipeline.Step> steps = List.of(
                move,
                new Pipeline.Step(
                        fifo ? FIFO : STANDARD,
                        arguments(queueId, now, visibleAt, expiredBefore, max, maxReceiveCount)));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .map(rows -> inOrder(rows, fifo ? groupOrder(rows) : SEND_ORDER));
    }

    private static Tuple arguments(
            long queueId, long now, long visibleAt, long expiredBefore, int max, int maxReceiveCount) {
        return Tuple.of(queueId, now, visibleAt, expiredBefore, max, maxReceiveCount);
    }

    /** Groups in the order of their first claimed message (their heads), each group's messages in sequence. */
    private static Comparator<ClaimedRow> groupOrder(RowSet<Row> rows) {
        Map<String, Long> firstOfGroup = new HashMap<>();
        for (Row row : rows) {
            firstOfGroup.merge(row.getString(5), row.getLong(0), Math::min);
        }
        return Comparator.<ClaimedRow>comparingLong(row -> firstOfGroup.get(row.groupId()))
                .thenComparingLong(ClaimedRow::seq);
    }

    private static List<ClaimedRow> inOrder(RowSet<Row> rows, Comparator<ClaimedRow> order) {
        List<ClaimedRow> claimed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            claimed.add(ClaimedRow.of(row));
        }
        claimed.sort(order);
        return claimed;
    }
}
