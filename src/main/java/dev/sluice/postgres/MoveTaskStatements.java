package dev.sluice.postgres;

/**
 * Message move tasks as SQL: the {@code move_task} rows (started, listed, cancelled on any replica) and one batch of a
 * task, run by the lease holder ({@link MoveTaskRunner}) as one transaction: the task's row locked, the messages taken
 * from the dead-letter queue, their copies inserted into their destinations and the task's counters updated, so a
 * batch is moved and counted together or not at all, whichever replica runs it.
 */
final class MoveTaskStatements {
    private MoveTaskStatements() {}

    /**
     * A new running task ($1 handle, $2 source queue id, $3 source ARN, $4 destination ARN, $5 rate or 0, $6 now, $7
     * expired before): the messages to move are those in the queue now. The partial unique index {@code
     * move_task_running} refuses a second running task of the source, on any replica: then nothing is returned.
     */
    static final String START = """
            insert into move_task (task_handle, source_queue_id, source_arn, destination_arn, max_per_second, status,
                                   moved, to_move, started_at, next_batch_at)
            select $1, $2, $3, $4, $5, 'RUNNING', 0,
                   (select count(*) from message where queue_id = $2 and enqueued_at > $7), $6, $6
            on conflict (source_queue_id) where status = 'RUNNING' do nothing
            returning task_handle""";

    static final String COLUMNS =
            "task_handle, status, source_arn, destination_arn, max_per_second, moved, to_move, failure_reason, started_at";

    /** The source queue's tasks, newest first ($1 source queue id, $2 how many). */
    static final String LIST = "select " + COLUMNS
            + " from move_task where source_queue_id = $1 order by started_at desc, position desc limit $2";

    /** Cancels a running task ($1 handle); waits for a batch in progress, so its count is in the answer. */
    static final String CANCEL =
            "update move_task set status = 'CANCELLED' where task_handle = $1 and status = 'RUNNING' returning moved";

    static final String EXISTS = "select 1 from move_task where task_handle = $1";

    /** Every running task with the earliest time of its next batch. */
    static final String RUNNING = "select task_handle, next_batch_at from move_task where status = 'RUNNING'";

    /** A batch's first statement: the running task, locked ($1 handle). */
    static final String LOCK_TASK = """
            select source_queue_id, destination_arn, max_per_second, moved, to_move, next_batch_at
            from move_task where task_handle = $1 and status = 'RUNNING'
            for update""";

    /**
     * A standard dead-letter queue's oldest visible messages ($1 queue, $2 now, $3 expired before, $4 how many), locked
     * {@code SKIP LOCKED} as a claim locks them: a message a receive is taking is left to it.
     */
    static final String TAKE_STANDARD = """
            select seq, dead_letter_source from message
            where queue_id = $1 and visible_at <= $2 and enqueued_at > $3
            order by seq
            limit $4
            for update skip locked""";

    /**
     * A FIFO dead-letter queue's groups with nothing in flight, locked {@code SKIP LOCKED} in the order of their heads
     * as a claim locks them ($1 queue, $2 now, $3 how many): no receiver holds their messages while the batch runs.
     */
    static final String LOCK_IDLE_GROUPS = """
            select group_id from message_group
            where queue_id = $1 and head_seq is not null and busy_until <= $2
            order by head_seq
            limit $3
            for update skip locked""";

    /** The locked groups' oldest visible messages ($1 queue, $2 now, $3 expired before, $4 how many, $5 groups). */
    static final String TAKE_FIFO = """
            select seq, dead_letter_source from message
            where queue_id = $1 and group_id = any($5::text[]) and visible_at <= $2 and enqueued_at > $3
            order by seq
            limit $4""";

    /**
     * The live queues named by their {@link QueuePath} ($1: {@code account/name}, {@code region/account/name} outside
     * the default region), {@code FOR SHARE}: a DeleteQueue of one of them waits for the
     * batch and then deletes the copies too.
     */
    static final String DESTINATIONS = """
            select id, coalesce(region || '/', '') || account_id || '/' || name from queue
            where deleted_at is null and coalesce(region || '/', '') || account_id || '/' || name = any($1::text[])
            for share""";

    /**
     * Moves the messages ($1 source queue, $2 their sequence numbers, $3 each one's target queue, $4 now): deleted from
     * the source, copied into the target with the same id, body, attributes and sent time, a new sequence number, no
     * receives and no dead-letter source (as the embedded engine's redrive copies them); a FIFO target's retention
     * starts again. A FIFO target's group gets the copy as head if it had none; a FIFO source's groups move their head
     * on. Returns the target queues.
     */
    static final String MOVE = """
            with moved as (
                delete from message m
                using unnest($2::bigint[], $3::bigint[]) as d(seq, target)
                where m.queue_id = $1 and m.seq = d.seq
                returning m.*, d.target
            ), copied as (
                insert into message (queue_id, seq, message_id, visible_at, receive_count, sent_at, enqueued_at,
                                     group_id, deduplication_id, sender_id, attributes, body, body_md5)
                select x.target, nextval('message_seq'), x.message_id, $4, 0, x.sent_at,
                       case when q.fifo then $4 else x.enqueued_at end, x.group_id, x.deduplication_id, x.sender_id,
                       x.attributes, x.body, x.body_md5
                from (select * from moved order by seq) x join queue q on q.id = x.target
                returning queue_id, seq, group_id
            ), target_groups as (
                insert into message_group as g (queue_id, group_id, head_seq)
                select c.queue_id, c.group_id, min(c.seq)
                from copied c join queue q on q.id = c.queue_id
                where q.fifo and c.group_id is not null
                group by c.queue_id, c.group_id
                on conflict (queue_id, group_id) do update set head_seq = coalesce(g.head_seq, excluded.head_seq)
            )""" + DeadLetterStatements.SOURCE_GROUPS + """

            select distinct queue_id from copied""";

    /** A batch's last statement: the task's progress ($1 handle, $2 moved, $3 status, $4 failure, $5 next batch). */
    static final String PROGRESS = """
            update move_task set moved = moved + $2, status = $3, failure_reason = $4, next_batch_at = $5
            where task_handle = $1""";
}
