package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

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
    /** Fair queues: the fewest messages in flight at which a group can be noisy (as the embedded engine). */
    static final int NOISY_MIN_IN_FLIGHT = 30;
    /** Fair queues: how many ready messages a claim looks ahead past noisy groups (as the embedded engine). */
    static final int FAIR_SCAN_LIMIT = 1_000;

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

    /**
     * A standard queue's claim while this replica has not seen the queue be a fair queue: {@link #STANDARD}'s, oldest
     * first, unless the queue is tracked ({@code fair_queue}) or holds a message with a group (one empty descent of
     * {@code message_by_group}); then it claims nothing and its one row says so (last column true), and the claim is
     * made again with {@link #FAIR}, which this replica then uses for the queue from the start. So a queue whose
     * messages have no group runs this short statement (its plan a third of {@link #FAIR}'s, whose every node the
     * executor would set up on each run) and writes nothing for fairness; a fair queue costs one more round trip on
     * each replica's first claim of it. With nothing claimed and the queue not fair, the one row is all nulls.
     *
     * <p>It claims from {@code $7} on ({@link ClaimStarts}: past this replica's last claim of the queue), so it does
     * not walk the messages in flight before it; only when it finds fewer than {@code $5} there does it look before
     * {@code $7} for the rest ({@link ClaimStarts#BEGINNING}: from the beginning of the queue, as {@link #STANDARD}).
     */
    static final String UNGROUPED =
            """
            with fair as (
                select exists (select 1 from fair_queue q where q.queue_id = $1)
                    or exists (select 1 from message g where g.queue_id = $1 and g.group_id is not null) as yes
            ), onward as (
                select c.ctid from message c
                where not (select yes from fair)
                  and c.queue_id = $1 and c.seq >= $7
                  and c.visible_at <= $2 and c.enqueued_at > $4 and c.receive_count < $6
                order by c.seq
                limit $5
                for update skip locked
            ), before as (
                select c.ctid from message c
                where not (select yes from fair) and $7 > %d and (select count(*) from onward) < $5
                  and c.queue_id = $1 and c.seq < $7
                  and c.visible_at <= $2 and c.enqueued_at > $4 and c.receive_count < $6
                order by c.seq
                limit $5 - (select count(*) from onward)
                for update skip locked
            ), claimed as (
                update message m
                set visible_at = $3, receive_count = m.receive_count + 1,
                    first_received_at = coalesce(m.first_received_at, $2), last_received_at = $2
                where m.ctid = any(array(select ctid from onward) || array(select ctid from before))
                  and m.visible_at <= $2
                returning m.*
            )
            select\s""".formatted(ClaimStarts.BEGINNING) + ClaimedRow.COLUMNS + ", f.yes from fair f left join claimed on true";

    /**
     * A standard queue's claim with SQS's fair queues (the embedded engine's {@code Queue.isNoisy} rule): a message
     * group is noisy while the queue has at least {@value #NOISY_MIN_IN_FLIGHT} messages in flight and the group holds
     * more than 10% of them; the claim then hands out other groups' and group-less messages first, looking at most
     * {@value #FAIR_SCAN_LIMIT} ready messages ahead, and fills up with the noisy groups' oldest. The in-flight counts
     * are the database's (every replica's receives), read at the statement's {@code now}. Run for the queues
     * {@link #UNGROUPED} found fair.
     *
     * <p>A queue that has never held a message with a group (no {@code fair_queue} row, and one empty descent of
     * {@code message_by_group}) gets {@link #STANDARD}'s claim, oldest first, and nothing else runs or is written (the
     * other parts wait on the two probes as one-time filters). The first claim that finds a grouped message starts
     * tracking the queue: it inserts its {@code fair_queue} row, counts the messages in flight with one scan of the
     * queue's rows and records them in {@code fair_candidate}. From then on every claim of the queue records what it
     * hands out there (grouped or not, with the receive count it set), and counts the in flight among those
     * candidates, each joined to its {@code message} row for the truth ({@code visible_at}, {@code receive_count},
     * retention): a delete, a visibility change or a deadline that simply passes needs no write, and the cost is that
     * of the messages in flight (plus candidates not yet removed), never the backlog's. A candidate whose message is
     * gone is removed by the claim that finds it ({@code SKIP LOCKED}: a gone message is never claimed again, so this
     * never meets another claim's write); one whose message is visible again is left to the {@link Sweeper}
     * ({@link FairCandidates}). When some group is noisy the first ready rows are ordered noisy last and locked {@code
     * SKIP LOCKED} in that order; the last column returned says whether the message's group is noisy, so the answer
     * keeps the pick's order. Still one statement, one round trip.
     */
    static final String FAIR = """
            with tracked as (
                select exists (select 1 from fair_queue q where q.queue_id = $1) as yes
            ), fair as (
                select (select yes from tracked)
                    or exists (select 1 from message g where g.queue_id = $1 and g.group_id is not null) as yes
            ), started as (
                insert into fair_queue (queue_id, tracked_since)
                select $1, $2 where (select yes from fair) and not (select yes from tracked)
                on conflict (queue_id) do nothing
            ), scanned as (
                select s.seq, s.group_id, s.receive_count from message s
                where (select yes from fair) and not (select yes from tracked)
                  and s.queue_id = $1 and s.visible_at > $2 and s.receive_count > 0 and s.enqueued_at > $4
            ), seeded as (
                insert into fair_candidate (queue_id, seq, group_id, receive_count)
                select $1, s.seq, s.group_id, s.receive_count from scanned s
                on conflict (queue_id, seq) do nothing
            ), candidates as (
                select c.ctid as candidate, c.group_id, t.in_flight
                from fair_candidate c
                left join lateral (
                    select t.visible_at > $2 and t.receive_count > 0 and t.enqueued_at > $4 as in_flight
                    from message t
                    where t.queue_id = $1 and t.seq = c.seq
                    offset 0) t on true
                where (select yes from tracked) and c.queue_id = $1
            ), pruned as (
                delete from fair_candidate d
                where d.ctid = any(array(
                    select x.ctid from fair_candidate x
                    where x.queue_id = $1
                      and x.ctid = any(array(select candidate from candidates where in_flight is null))
                    for update skip locked))
            ), flight as (
                select f.group_id, count(*) as n from (
                    select group_id from candidates where in_flight
                    union all
                    select group_id from scanned) f
                group by f.group_id
            ), noisy as (
                select f.group_id from flight f
                where f.group_id is not null
                  and (select sum(n) from flight) >= %d
                  and f.n * 10 > (select sum(n) from flight)
            ), lookahead as (
                select max(w.seq) as last from (
                    select r.seq from message r
                    where (select yes from fair) and r.queue_id = $1
                      and r.visible_at <= $2 and r.enqueued_at > $4 and r.receive_count < $6
                    order by r.seq
                    limit %d) w
            ), quiet_first as (
                select c.ctid from message c
                where c.queue_id = $1 and c.seq <= (select last from lookahead)
                  and c.visible_at <= $2 and c.enqueued_at > $4 and c.receive_count < $6
                  and not coalesce(c.group_id in (select group_id from noisy), false)
                order by c.seq
                limit $5
                for update skip locked
            ), noisy_last as (
                select c.ctid from message c
                where c.queue_id = $1 and c.seq <= (select last from lookahead)
                  and c.visible_at <= $2 and c.enqueued_at > $4 and c.receive_count < $6
                  and coalesce(c.group_id in (select group_id from noisy), false)
                order by c.seq
                limit greatest($5 - (select count(*) from quiet_first), 0)
                for update skip locked
            ), picked as (
                select case
                    when exists (select 1 from noisy)
                    then array(select ctid from quiet_first) || array(select ctid from noisy_last)
                    else array(
                        select c.ctid from message c
                        where c.queue_id = $1 and c.visible_at <= $2 and c.enqueued_at > $4 and c.receive_count < $6
                        order by c.seq
                        limit $5
                        for update skip locked)
                    end as ctids
            ), claimed as (
                update message m
                set visible_at = $3, receive_count = m.receive_count + 1,
                    first_received_at = coalesce(m.first_received_at, $2), last_received_at = $2
                where m.ctid = any((select ctids from picked)::tid[]) and m.visible_at <= $2
                returning m.*
            ), recorded as (
                insert into fair_candidate (queue_id, seq, group_id, receive_count)
                select $1, c.seq, c.group_id, c.receive_count from claimed c where (select yes from fair)
                on conflict (queue_id, seq) do update set receive_count = excluded.receive_count
            )
            select\s""".formatted(NOISY_MIN_IN_FLIGHT, FAIR_SCAN_LIMIT)
            + ClaimedRow.COLUMNS
            + ", coalesce(group_id in (select group_id from noisy), false) from claimed";

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

    /** The column of {@link #FAIR}'s rows that says whether the message's group is noisy. */
    private static final int NOISY = ClaimedRow.COLUMN_COUNT;
    /** The claims' argument {@code $3}: the deadline they set, the new visibility of what they claim. */
    private static final int VISIBLE_AT = 2;
    /** The column of {@link #UNGROUPED}'s rows that says the queue is a fair queue (and nothing was claimed). */
    private static final int FAIR_QUEUE = ClaimedRow.COLUMN_COUNT;

    private static final Comparator<ClaimedRow> SEND_ORDER = Comparator.comparingLong(ClaimedRow::seq);

    private final Pool pool;
    /** Queues this replica has seen to be fair queues ({@link #UNGROUPED}'s answer): claimed with {@link #FAIR}. */
    private final Set<Long> fairQueues = ConcurrentHashMap.newKeySet();
    /** Where this replica's claims of standard queues without groups start. */
    private final ClaimStarts starts = new ClaimStarts();

    ClaimStatements(Pool pool) {
        this.pool = pool;
    }

    /** Claims up to {@code max} messages of a standard queue until {@code visibleAt}, in send order. */
    Future<List<ClaimedRow>> claimStandard(long queueId, long now, long visibleAt, long expiredBefore, int max) {
        return pool.preparedQuery(STANDARD)
                .execute(arguments(queueId, now, visibleAt, expiredBefore, max, Integer.MAX_VALUE))
                .map(rows -> inOrder(rows, SEND_ORDER));
    }

    /**
     * The server's claim of every standard queue: up to {@code max} messages until {@code visibleAt}, with {@link
     * #UNGROUPED} (oldest first from where this replica's last claim of the queue ended, see {@link ClaimStarts})
     * while this replica has not seen the queue hold a message with a group, else with {@link #FAIR} (oldest first,
     * noisy groups' messages last).
     */
    Future<List<ClaimedRow>> claimFair(long queueId, long now, long visibleAt, long expiredBefore, int max) {
        Tuple arguments = arguments(queueId, now, visibleAt, expiredBefore, max, Integer.MAX_VALUE);
        return claimStandardQueue(
                queueId,
                now,
                arguments,
                (sql, values) -> pool.preparedQuery(sql).execute(values));
    }

    /** Something of the queue before where this replica's claims start may be visible now ({@link ClaimStarts#rewind}). */
    void rewind(long queueId) {
        starts.rewind(queueId);
    }

    /**
     * Runs {@code claim} with {@link #UNGROUPED} (and where this replica's claims of the queue start), or {@link #FAIR}
     * for a queue seen to be fair; when {@link #UNGROUPED} finds the queue fair, remembers it and runs {@code claim}
     * again with {@link #FAIR}.
     */
    private Future<List<ClaimedRow>> claimStandardQueue(
            long queueId, long now, Tuple arguments, BiFunction<String, Tuple, Future<RowSet<Row>>> claim) {
        if (fairQueues.contains(queueId)) {
            return claim.apply(FAIR, arguments).map(ClaimStatements::inPickedOrder);
        }
        long from = starts.from(queueId, now);
        Tuple ungrouped = Tuple.tuple();
        for (int i = 0; i < arguments.size(); i++) {
            ungrouped.addValue(arguments.getValue(i));
        }
        ungrouped.addLong(from);
        return claim.apply(UNGROUPED, ungrouped).compose(rows -> {
            Row first = rows.iterator().next();
            if (!first.getBoolean(FAIR_QUEUE)) {
                List<ClaimedRow> claimed = claimedInSendOrder(rows);
                if (arguments.getLong(VISIBLE_AT) > now) {
                    starts.claimed(queueId, from, now, claimed);
                } // else: claimed with a visibility timeout of 0, so still visible: the next claim may take them again
                return Future.succeededFuture(claimed);
            }
            fairQueues.add(queueId);
            return claim.apply(FAIR, arguments).map(ClaimStatements::inPickedOrder);
        });
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
        Tuple arguments = arguments(queueId, now, visibleAt, expiredBefore, max, maxReceiveCount);
        BiFunction<String, Tuple, Future<RowSet<Row>>> claim = (sql, values) -> pool.withConnection(
                connection -> Pipeline.inTransaction(connection, List.of(move, new Pipeline.Step(sql, values))));
        return fifo
                ? claim.apply(FIFO, arguments).map(rows -> inOrder(rows, groupOrder(rows)))
                : claimStandardQueue(queueId, now, arguments, claim);
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

    /** {@link #FAIR}'s rows in the order it picked them: oldest first, noisy groups' last (its last column). */
    private static List<ClaimedRow> inPickedOrder(RowSet<Row> rows) {
        Set<Long> noisy = new HashSet<>();
        for (Row row : rows) {
            if (row.getBoolean(NOISY)) {
                noisy.add(row.getLong(0));
            }
        }
        return inOrder(
                rows,
                Comparator.<ClaimedRow, Boolean>comparing(row -> noisy.contains(row.seq()))
                        .thenComparingLong(ClaimedRow::seq));
    }

    /** {@link #UNGROUPED}'s claimed rows (not its row of nulls when it claimed none), in send order. */
    private static List<ClaimedRow> claimedInSendOrder(RowSet<Row> rows) {
        List<ClaimedRow> claimed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.getValue(0) != null) {
                claimed.add(ClaimedRow.of(row));
            }
        }
        claimed.sort(SEND_ORDER);
        return claimed;
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
