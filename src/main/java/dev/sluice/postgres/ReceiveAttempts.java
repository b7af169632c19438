package dev.sluice.postgres;

import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.SqsLimits;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * FIFO ReceiveRequestAttemptId on the {@code receive_attempt} table: what a receive with an attempt id returned (its
 * messages' sequence numbers and receive counts, and its visibility timeout), for {@link SqsLimits#RECEIVE_ATTEMPT_WINDOW}.
 * A retry within it gets the messages still in flight from that receive, with the same receipt handles, hidden for
 * that receive's timeout again from now (within the 12-hour limit; a longer visibility set since is kept), as the
 * embedded engine answers it. Any replica answers a retry: the rows are in the database. An expired row counts as
 * absent; the sweeper deletes it.
 */
final class ReceiveAttempts {
    private static final long WINDOW_MS = SqsLimits.RECEIVE_ATTEMPT_WINDOW.toMillis();
    private static final long MAX_IN_FLIGHT_MS = QueueSettings.MAX_VISIBILITY_TIMEOUT.toMillis();

    /** The attempt's row ($1 queue, $2 attempt id, $3 now), if it has not expired. */
    private static final String CURRENT_ATTEMPT =
            "select * from receive_attempt where queue_id = $1 and attempt_id = $2 and expires_at > $3";

    /**
     * The messages recorded in {@code attempt} (a {@code FROM} item of its row) as {@code h(seq, receive_count,
     * position)}, position being the message's place in the answer.
     */
    private static String recorded(String attempt) {
        return """
                (select h.seq, h.receive_count, h.position
                 from %s a
                 cross join lateral unnest(a.seqs, a.receive_counts) with ordinality as h(seq, receive_count, position)
                ) as h""".formatted(attempt);
    }

    /**
     * Locks the groups of the attempt's messages first, in the order deletes and visibility changes lock them. Each
     * message is one probe of the key (as in {@link DeleteStatements#LOCK_GROUPS_OF}), whatever the statistics say.
     */
    static final String LOCK_GROUPS = GroupLocks.of("""
            select distinct p.group_id
            from %s
            cross join lateral (
                select m.group_id from message m where m.queue_id = $1 and m.seq = h.seq offset 0) p
            order by p.group_id""".formatted(recorded("(" + CURRENT_ATTEMPT + ")")));

    /**
     * The attempt's messages still in flight from its receive ($1 queue, $2 attempt id, $3 now, $4 the 12-hour limit),
     * hidden again, in the order that receive returned them; their groups stay busy until then. Each message is found
     * by one locked probe of the key ({@link KeyProbes}) and updated by {@code ctid}, as deletes do.
     */
    static final String REPLAY = """
            with attempt as (
                %s
            ), still as (
                update message m
                set visible_at = greatest(m.visible_at,
                                          least($3 + (select visibility_ms from attempt), m.last_received_at + $4))
                where m.ctid = any(%s)
                returning m.*
            ), busy as (
                update message_group g
                set busy_until = greatest(g.busy_until, (select max(s.visible_at) from still s
                                                         where s.group_id = g.group_id))
                where g.queue_id = $1 and g.group_id in (select group_id from still)
            )
            select %s, last_received_at
            from still
            join (select h.seq as recorded_seq, h.position from %s) o on o.recorded_seq = still.seq
            order by o.position""".formatted(
                    CURRENT_ATTEMPT,
                    KeyProbes.lockedCtids(
                            recorded("attempt"),
                            "p.queue_id = $1 and p.seq = h.seq and p.receive_count = h.receive_count"
                                    + " and p.visible_at > $3"),
                    ClaimedRow.COLUMNS,
                    recorded("attempt"));

    static final String REMEMBER = """
            insert into receive_attempt (queue_id, attempt_id, seqs, receive_counts, visibility_ms, expires_at)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (queue_id, attempt_id) do update
            set seqs = excluded.seqs, receive_counts = excluded.receive_counts, visibility_ms = excluded.visibility_ms,
                expires_at = excluded.expires_at""";

    /** A message a retry gets again, and the time of the receive that first returned it (its handle names it). */
    record Replayed(ClaimedRow row, long receivedAt) {}

    private final Pool pool;

    ReceiveAttempts(Pool pool) {
        this.pool = pool;
    }

    /** The messages to answer a retry with; empty when there was no such receive or nothing of it is in flight. */
    Future<List<Replayed>> replay(long queueId, String attemptId, long now) {
        List<Pipeline.Step> steps = List.of(
                new Pipeline.Step(LOCK_GROUPS, Tuple.of(queueId, attemptId, now)),
                new Pipeline.Step(REPLAY, Tuple.of(queueId, attemptId, now, MAX_IN_FLIGHT_MS)));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .map(rows -> {
                    List<Replayed> replayed = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        replayed.add(new Replayed(ClaimedRow.of(row), row.getLong(ClaimedRow.COLUMN_COUNT)));
                    }
                    return replayed;
                });
    }

    /** Records what a receive with an attempt id returned. */
    Future<Void> remember(long queueId, String attemptId, List<ClaimedRow> received, long timeoutMillis, long now) {
        Long[] seqs = received.stream().map(ClaimedRow::seq).toArray(Long[]::new);
        Integer[] counts = received.stream().map(ClaimedRow::receiveCount).toArray(Integer[]::new);
        return pool.preparedQuery(REMEMBER)
                .execute(Tuple.of(queueId, attemptId, seqs, counts, timeoutMillis, now + WINDOW_MS))
                .mapEmpty();
    }
}
