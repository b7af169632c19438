package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * ChangeMessageVisibility(Batch) as one statement per batch: it locks the named rows in key order (one probe of the
 * primary key each, in a {@code LATERAL} subquery the planner cannot turn into a walk of the queue, as it did with
 * {@code seq in (…)} while the statistics said the table was empty: {@code StatementPlansTest}), changes those whose handle is
 * current (receive count 0 in a handle: any receive of the message, as SQS applies a change with any handle while the message is in flight), that are still in flight and whose new deadline is within 12 hours of their receive (SQS's limit on a
 * message's total visibility timeout), and returns every entry's state so the rules can answer each (no such
 * message, a stale handle that changes nothing, over the limit, changed). FIFO: the groups are locked first, as for
 * deletes, and the touched groups' {@code busy_until} recomputed with the new deadlines: a message made visible at
 * once can free its group.
 */
final class VisibilityStatements {
    private static final String CHANGE = """
            h as (
                select * from unnest($2::bigint[], $3::int[], $4::bigint[]) with ordinality
                    as h(seq, receive_count, visible_at, n)
            ), current as (
                select c.seq, c.receive_count, c.visible_at, c.last_received_at, c.group_id
                from (select distinct seq from h order by seq) s
                cross join lateral (
                    select m.seq, m.receive_count, m.visible_at, m.last_received_at, m.group_id
                    from message m
                    where m.queue_id = $1 and m.seq = s.seq
                    offset 0
                    for update) c
            ), changed as (
                update message m set visible_at = h.visible_at
                from h join current c on c.seq = h.seq
                where m.queue_id = $1 and m.seq = h.seq
                  and (h.receive_count = 0 or c.receive_count = h.receive_count) and c.visible_at > $5
                  and h.visible_at <= c.last_received_at + $6
                returning m.seq, m.visible_at, m.group_id
            )""";

    private static final String ANSWER = """
            select c.seq is not null, c.receive_count, c.visible_at, c.last_received_at, ch.seq is not null
            from h left join current c on c.seq = h.seq left join changed ch on ch.seq = h.seq
            order by h.n""";

    static final String STANDARD = "with " + CHANGE + "\n" + ANSWER;

    static final String FIFO = "with " + CHANGE + """
            , busy as (
                update message_group g set busy_until = coalesce((
                    select max(f.visible_at) from (
                        select coalesce(ch.visible_at, m.visible_at) as visible_at, m.receive_count
                        from message m left join changed ch on ch.seq = m.seq
                        where m.queue_id = $1 and m.group_id = g.group_id
                        order by m.seq
                        limit 10) f
                    where f.receive_count > 0 and f.visible_at > $5), 0)
                where g.queue_id = $1 and g.group_id in (select group_id from changed)
            )
            """ + ANSWER;

    private final Pool pool;

    VisibilityStatements(Pool pool) {
        this.pool = pool;
    }

    /** Applies the changes; one row per entry, in order. {@code maxInFlightMillis}: SQS's 12 hours. */
    Future<List<VisibilityRow>> changeStandard(
            long queueId, long now, long maxInFlightMillis, List<VisibilityChange> changes) {
        return pool.preparedQuery(STANDARD)
                .execute(arguments(queueId, now, maxInFlightMillis, changes))
                .map(VisibilityStatements::rows);
    }

    /** As {@link #changeStandard}, keeping the groups' in-flight state right. */
    Future<List<VisibilityRow>> changeFifo(
            long queueId, long now, long maxInFlightMillis, List<VisibilityChange> changes) {
        Long[] seqs = changes.stream().map(change -> change.handle().seq()).toArray(Long[]::new);
        List<Pipeline.Step> steps = List.of(
                new Pipeline.Step(
                        DeleteStatements.LOCK_GROUPS_OF,
                        Tuple.tuple().addLong(queueId).addArrayOfLong(seqs)),
                new Pipeline.Step(FIFO, arguments(queueId, now, maxInFlightMillis, changes)));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .map(VisibilityStatements::rows);
    }

    private static Tuple arguments(long queueId, long now, long maxInFlightMillis, List<VisibilityChange> changes) {
        List<Handle> handles = changes.stream().map(VisibilityChange::handle).toList();
        Long[] deadlines = changes.stream().map(VisibilityChange::visibleAt).toArray(Long[]::new);
        return Tuple.of(
                queueId,
                DeleteStatements.seqs(handles),
                DeleteStatements.receiveCounts(handles),
                deadlines,
                now,
                maxInFlightMillis);
    }

    private static List<VisibilityRow> rows(RowSet<Row> rows) {
        List<VisibilityRow> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            boolean found = row.getBoolean(0);
            out.add(new VisibilityRow(
                    found,
                    found ? row.getInteger(1) : 0,
                    found ? row.getLong(2) : 0,
                    found && row.getLong(3) != null ? row.getLong(3) : 0,
                    row.getBoolean(4)));
        }
        return out;
    }
}
