package dev.sluice.postgres;

import java.time.Duration;

/**
 * The {@link Sweeper}'s part in fair queues' in-flight counts ({@link ClaimStatements#FAIR}, {@code
 * V6__fair_candidates.sql}): candidates whose message is visible again are removed, and a queue that started being
 * tracked a while ago has its messages in flight scanned once more.
 *
 * <p>Both wait {@link #STRAGGLER_MS}: the longest a statement is taken to run after the instant it was given as
 * {@code now} (read before it waited for a connection). A visibility change given an earlier {@code now} still finds
 * its message in flight and may extend it, so a candidate is removed only once its message has been visible that
 * long. And a claim that started before the first grouped claim's {@code fair_queue} row was committed saw no row and
 * recorded nothing; its messages are in flight but were not in that claim's scan, so the audit scans again once
 * every such claim has committed.
 */
final class FairCandidates {
    static final long STRAGGLER_MS = Duration.ofMinutes(1).toMillis();

    private FairCandidates() {}

    /**
     * Candidates whose message is gone, or visible again since at least $1 with the receive count the claim recorded
     * (a later claim of the message updates the candidate's count, so the recheck of a row locked after such an update
     * keeps it), {@link Sweeper#BATCH} at a time, {@code SKIP LOCKED}.
     */
    static final String STALE = """
            delete from fair_candidate where ctid = any(array(
                select c.ctid from fair_candidate c
                left join lateral (
                    select t.visible_at, t.receive_count from message t
                    where t.queue_id = c.queue_id and t.seq = c.seq
                    offset 0) t on true
                where t.receive_count is null or (t.receive_count = c.receive_count and t.visible_at <= $1)
                limit\s""" + Sweeper.BATCH + """

                for update of c skip locked))""";

    /**
     * Queues tracked since at least $1 and not audited yet: marked audited, and every message of theirs in flight at
     * $2 recorded as a candidate (one scan of each queue's rows, once per queue).
     */
    static final String AUDIT = """
            with due as (
                update fair_queue q set audited = true
                where q.queue_id = any(array(
                    select a.queue_id from fair_queue a
                    where not a.audited and a.tracked_since <= $1
                    limit 100
                    for update skip locked))
                returning q.queue_id
            )
            insert into fair_candidate (queue_id, seq, group_id, receive_count)
            select m.queue_id, m.seq, m.group_id, m.receive_count from message m
            where m.queue_id = any(array(select queue_id from due)) and m.visible_at > $2 and m.receive_count > 0
            on conflict (queue_id, seq) do nothing""";
}
