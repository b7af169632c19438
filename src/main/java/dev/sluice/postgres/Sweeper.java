package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease holder's housekeeping (README, "Background work"): rows nothing reads any more are deleted in bounded
 * batches, each statement its own transaction that is correct whoever runs it and however often. None of it is needed
 * for correctness (expired messages are never claimed or counted, expired deduplication and receive-attempt rows
 * count as absent); it gives the space back.
 *
 * <ul>
 *   <li>Messages past their queue's retention: per queue (a round visits up to {@link #QUEUES_PER_ROUND} queues,
 *       going on from where the last stopped), among its {@link #WINDOW} oldest messages by sequence. A FIFO queue's
 *       groups are locked first (as a delete locks them) and their heads moved on.
 *   <li>Expired deduplication and receive-attempt rows, {@link #BATCH} at a time.
 *   <li>Fair queues' candidates whose message is visible again, and the second scan of a newly tracked queue
 *       ({@link FairCandidates}).
 *   <li>Deleted queues: rows a send racing the DeleteQueue added after it, then, an hour after the delete (the
 *       strict mode's recreate rule reads the time of the last one), the queue row and its move tasks.
 * </ul>
 */
final class Sweeper {
    static final int BATCH = 1_000;
    static final int WINDOW = 1_000;
    static final int QUEUES_PER_ROUND = 100;
    /** A round deletes at most this many batches of each kind; the next round goes on. */
    private static final int BATCHES_PER_ROUND = 10;

    private static final long KEEP_DELETED_QUEUES_MS = Duration.ofHours(1).toMillis();

    private static final String QUEUES = "select id, fifo, (attributes->>'MessageRetentionPeriod')::bigint * 1000"
            + " from queue where deleted_at is null and id > $1 order by id limit " + QUEUES_PER_ROUND;

    /** The queue's messages past retention among its oldest ($1 queue, $2 expired at or before). */
    private static final String EXPIRED_IN_WINDOW = """
            select w.seq from (select seq, enqueued_at from message where queue_id = $1 order by seq limit\s""" + WINDOW + ") w where w.enqueued_at <= $2";

    /**
     * {@link #EXPIRED_IN_WINDOW}'s rows deleted by {@code ctid}: as {@code queue_id = $1 and seq = any(…)}, the plan
     * made while the statistics said the table was empty (after a drain's VACUUM) read the queue's whole index range
     * with {@code seq} as a mere filter, 0.3–0.8 s per sweep of a busy queue in bench/run. A row a claim updates meanwhile
     * is left for the next sweep.
     */
    static final String DELETE_EXPIRED_STANDARD = """
            delete from message
            where enqueued_at <= $2 and ctid = any(array(
                select w.ctid from (select ctid, enqueued_at from message where queue_id = $1 order by seq limit\s""" + WINDOW + ") w where w.enqueued_at <= $2))";

    static final String DELETE_EXPIRED_FIFO =
            """
            with deleted as (
                delete from message m
                where m.enqueued_at <= $3 and m.ctid = any(%s)
                returning m.seq, m.group_id
            ), touched as (
                update message_group g set head_seq = (
                    select min(m.seq) from message m
                    where m.queue_id = $1 and m.group_id = g.group_id and m.seq not in (select seq from deleted))
                where g.queue_id = $1 and g.group_id in (select group_id from deleted)
            )
            select count(*) from deleted""".formatted(KeyProbes.lockedCtids("unnest($2::bigint[]) as s(seq)", "p.queue_id = $1 and p.seq = s.seq"));

    static final String EXPIRED_DEDUPLICATION = "delete from deduplication where ctid = any(array("
            + "select ctid from deduplication where expires_at <= $1 limit " + BATCH + "))";

    static final String EXPIRED_RECEIVE_ATTEMPTS = "delete from receive_attempt where ctid = any(array("
            + "select ctid from receive_attempt where expires_at <= $1 limit " + BATCH + "))";

    /**
     * Rows of deleted queues, {@link #BATCH} at a time: the deleted queues' ids first (the small {@code queue} table),
     * then each one's rows by the table's key, deleted by {@code ctid}. Written as a join of {@code queue} and the
     * table, the plan made while the table was small (each pooled connection keeps its first, generic plan) read the
     * whole table on every sweep, or once per row of it (README, *Plans*).
     */
    static final List<String> DELETED_QUEUES_ROWS = List.of(
            deletedQueuesRows("message"),
            deletedQueuesRows("message_group"),
            deletedQueuesRows("deduplication"),
            deletedQueuesRows("receive_attempt"),
            deletedQueuesRows("fair_candidate"),
            deletedQueuesRows("fair_queue"));

    private static String deletedQueuesRows(String table) {
        return "delete from " + table + " where ctid = any(array(select r.ctid from " + table + " r"
                + " where r.queue_id = any(array(select id from queue where deleted_at is not null)) limit " + BATCH
                + "))";
    }

    /** Queue rows deleted long enough ago with nothing left, and their move tasks ($1 deleted at or before). */
    static final String DELETED_QUEUES = """
            with gone as (
                delete from queue q
                where q.id = any(array(
                    select id from queue
                    where deleted_at <= $1
                      and not exists (select 1 from message m where m.queue_id = queue.id)
                    limit\s""" + BATCH + """
            ))
                returning q.id
            ), tasks as (
                delete from move_task where source_queue_id in (select id from gone)
            )
            select id from gone""";

    private final Pool pool;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long cursor;

    Sweeper(Pool pool) {
        this.pool = pool;
    }

    /** One round, unless the last is still running; completes with the number of rows deleted. */
    Future<Long> sweep(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return Future.succeededFuture(0L);
        }
        long[] deleted = {0};
        return expiredMessages(now, deleted)
                .compose(done -> repeat(EXPIRED_DEDUPLICATION, Tuple.of(now), deleted, BATCHES_PER_ROUND))
                .compose(done -> repeat(EXPIRED_RECEIVE_ATTEMPTS, Tuple.of(now), deleted, BATCHES_PER_ROUND))
                .compose(done -> repeat(
                        FairCandidates.STALE, Tuple.of(now - FairCandidates.STRAGGLER_MS), deleted, BATCHES_PER_ROUND))
                .compose(done -> pool.preparedQuery(FairCandidates.AUDIT)
                        .execute(Tuple.of(now - FairCandidates.STRAGGLER_MS, now))
                        .<Void>mapEmpty())
                .compose(done -> {
                    Future<Void> rows = Future.succeededFuture();
                    for (String sql : DELETED_QUEUES_ROWS) {
                        rows = rows.compose(ignored -> repeat(sql, Tuple.tuple(), deleted, BATCHES_PER_ROUND));
                    }
                    return rows;
                })
                .compose(done ->
                        repeat(DELETED_QUEUES, Tuple.of(now - KEEP_DELETED_QUEUES_MS), deleted, BATCHES_PER_ROUND))
                .map(done -> deleted[0])
                .onComplete(done -> sweeping.set(false));
    }

    /** Runs a bounded delete until it deletes less than a batch, at most {@code times} times. */
    private Future<Void> repeat(String sql, Tuple arguments, long[] deleted, int times) {
        if (times == 0) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery(sql).execute(arguments).compose(rows -> {
            deleted[0] += rows.rowCount();
            return rows.rowCount() < BATCH ? Future.succeededFuture() : repeat(sql, arguments, deleted, times - 1);
        });
    }

    private Future<Void> expiredMessages(long now, long[] deleted) {
        return pool.preparedQuery(QUEUES).execute(Tuple.of(cursor)).compose(queues -> {
            List<Row> all = new ArrayList<>();
            queues.forEach(all::add);
            cursor = all.size() < QUEUES_PER_ROUND ? 0 : all.getLast().getLong(0);
            Future<Void> swept = Future.succeededFuture();
            for (Row queue : all) {
                long id = queue.getLong(0);
                long expiredAt = now - queue.getLong(2);
                swept = swept.compose(done -> (queue.getBoolean(1)
                                ? expiredFifo(id, expiredAt)
                                : pool.preparedQuery(DELETE_EXPIRED_STANDARD)
                                        .execute(Tuple.of(id, expiredAt))
                                        .map(rows -> (long) rows.rowCount()))
                        .map(count -> {
                            deleted[0] += count;
                            return null;
                        }));
            }
            return swept;
        });
    }

    /** The FIFO queue's expired messages among its oldest: their groups locked, then deleted and heads moved on. */
    private Future<Long> expiredFifo(long queueId, long expiredAt) {
        return pool.preparedQuery(EXPIRED_IN_WINDOW)
                .execute(Tuple.of(queueId, expiredAt))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(0L);
                    }
                    List<Long> seqs = new ArrayList<>(rows.size());
                    rows.forEach(row -> seqs.add(row.getLong(0)));
                    Long[] array = seqs.toArray(Long[]::new);
                    List<Pipeline.Step> steps = List.of(
                            new Pipeline.Step(
                                    DeleteStatements.LOCK_GROUPS_OF,
                                    Tuple.tuple().addLong(queueId).addArrayOfLong(array)),
                            new Pipeline.Step(DELETE_EXPIRED_FIFO, Tuple.of(queueId, array, expiredAt)));
                    return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                            .map(result -> result.iterator().next().getLong(0));
                });
    }
}
