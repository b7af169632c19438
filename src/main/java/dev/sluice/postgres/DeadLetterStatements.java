package dev.sluice.postgres;

import io.vertx.sqlclient.Tuple;
import java.util.function.LongConsumer;

/**
 * The move of messages past the redrive policy's maxReceiveCount to the dead-letter queue, as one statement run in the
 * claim's transaction ({@link ClaimStatements#claimAfterMoving}): data-modifying CTEs delete the rows from the source
 * queue and insert their copies into the target (same id, body, attributes, sent time and receives; a new sequence;
 * visible at once; {@code dead_letter_source} names the source), so a move is atomic. SQS: a standard message keeps
 * its enqueue time, so its retention runs on; a FIFO message's starts again.
 *
 * <p>Standard: among the first {@value #WINDOW} visible messages (the window a receive looks at), those received
 * maxReceiveCount times. FIFO: from the visible heads of groups, locked {@code FOR UPDATE SKIP LOCKED} in the
 * claim's lock order (group row, then message), whose head was received maxReceiveCount times, the run of visible messages from the head that were too; the source group's head
 * moves on, and the target's group gets the copy as head if it had none. Parameters: $1 source queue, $2 now, $3
 * maxReceiveCount, $4 expired before, $5 target queue, $6 the source's {@code account/name}.
 */
final class DeadLetterStatements {
    static final int WINDOW = 100;

    private static final String MOVE_TAIL = """
            , copied as (
                insert into message (queue_id, seq, message_id, visible_at, receive_count, first_received_at,
                                     last_received_at, sent_at, enqueued_at, group_id, deduplication_id, sender_id,
                                     dead_letter_source, attributes, body, body_md5)
                select $5, nextval('message_seq'), x.message_id, $2, x.receive_count, x.first_received_at,
                       x.last_received_at, x.sent_at, %s, x.group_id, x.deduplication_id, x.sender_id, $6,
                       x.attributes, x.body, x.body_md5
                from (select * from moved order by seq) x
                returning seq, group_id
            )%s
            select count(*) from copied""";

    /**
     * The CTE that moves the heads of the source's ($1) groups on past the messages {@code moved} took out of them (a
     * FIFO source; nothing on a standard queue, which has no group rows).
     */
    static final String SOURCE_GROUPS = """
            , source_groups as (
                update message_group g set head_seq = (
                    select min(m.seq) from message m
                    where m.queue_id = $1 and m.group_id = g.group_id and m.seq not in (select seq from moved))
                where g.queue_id = $1 and g.group_id in (select group_id from moved)
            )""";

    static final String STANDARD = """
            with moved as (
                delete from message m
                where m.queue_id = $1 and m.seq = any(array(
                    select c.seq from message c
                    where c.queue_id = $1 and c.receive_count >= $3
                      and c.seq = any(array(
                          select w.seq from message w
                          where w.queue_id = $1 and w.visible_at <= $2 and w.enqueued_at > $4
                          order by w.seq
                          limit\s""" + WINDOW + """
            ))
                    for update skip locked))
                returning m.*
            )""" + MOVE_TAIL.formatted("x.enqueued_at", "");

    static final String FIFO = """
            with heads as (
                select g.group_id, g.head_seq
                from message_group g join message h on h.queue_id = g.queue_id and h.seq = g.head_seq
                where g.queue_id = $1 and h.visible_at <= $2 and h.receive_count >= $3
                  and h.enqueued_at > $4
                order by g.head_seq
                limit 10
                for update of g skip locked
            ), run as (
                select r.seq
                from heads cross join lateral (
                    select m.seq, bool_and(m.visible_at <= $2 and m.receive_count >= $3) over (order by m.seq) as moving
                    from message m
                    where m.queue_id = $1 and m.group_id = heads.group_id and m.enqueued_at > $4
                    order by m.seq
                    limit 10
                ) r
                where r.moving
            ), moved as (
                delete from message m using run
                where m.queue_id = $1 and m.seq = run.seq
                returning m.*
            )""" + MOVE_TAIL.formatted("$2", """
            , target_groups as (
                insert into message_group as g (queue_id, group_id, head_seq)
                select $5, group_id, min(seq) from copied group by group_id
                on conflict (queue_id, group_id) do update set head_seq = coalesce(g.head_seq, excluded.head_seq)
            )""" + SOURCE_GROUPS);

    private DeadLetterStatements() {}

    /** The move as a pipeline step; {@code moved} is told how many messages it moved, once that is committed. */
    static Pipeline.Step move(
            boolean fifo,
            long queueId,
            long now,
            int maxReceiveCount,
            long expiredBefore,
            long target,
            String source,
            LongConsumer moved) {
        return new Pipeline.Step(
                fifo ? FIFO : STANDARD,
                Tuple.of(queueId, now, maxReceiveCount, expiredBefore, target, source),
                rows -> moved.accept(rows.iterator().next().getLong(0)));
    }
}
