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

/**
 * DeleteMessage and DeleteMessageBatch as SQL, one round trip per batch. A handle deletes its message only while it is
 * the handle of the message's latest receive ({@code receive_count} matches): a stale handle matches nothing, so a
 * message another consumer now holds is never lost, and deleting twice succeeds.
 *
 * <p>Standard: each handle's queue id comes in as a column of the {@code unnest}, so one statement can delete for
 * several requests on several queues ({@link #deleteStandard(List)}: concurrent requests merged by a {@link Coalescer}).
 * Each handle is one probe of the primary key that locks the row ({@link KeyProbes}), and the rows are then deleted
 * by {@code ctid}. (As {@code m.queue_id = $1}, a queue created after the table's last ANALYZE looked empty and its
 * whole index range was hashed: 10 ms per DeleteMessageBatch with 20,000 queued.) The handles are locked in key
 * order, so two statements deleting the same messages never deadlock.
 *
 * <p>FIFO: a pipelined transaction, its rows found by the same probes per handle ({@link KeyProbes}). Its first statement locks the
 * messages' group rows (in name order); the second,
 * with a snapshot taken after the lock and so seeing every send committed before it, deletes and recomputes each
 * touched group's head and {@code busy_until}. A group's in-flight messages are always among its first ten (a claim
 * takes a run from the head; later sends get larger numbers), so the recomputation reads at most ten rows.
 */
final class DeleteStatements {
    static final String STANDARD = "delete from message m\nwhere m.ctid = any("
            + KeyProbes.lockedCtids(
                    "unnest($1::bigint[], $2::bigint[], $3::int[]) as h(queue_id, seq, receive_count)",
                    "p.queue_id = h.queue_id and p.seq = h.seq and p.receive_count = h.receive_count")
            + ")\nreturning m.queue_id, m.seq";

    /**
     * Locks the group rows of the given messages ($1 queue, $2 sequence numbers); also the first statement of FIFO
     * visibility changes and expiry sweeps.
     */
    static final String LOCK_GROUPS_OF = GroupLocks.of("""
            select distinct p.group_id
            from unnest($2::bigint[]) as s(seq)
            cross join lateral (
                select m.group_id from message m where m.queue_id = $1 and m.seq = s.seq offset 0) p
            order by p.group_id""");

    static final String FIFO = """
            with deleted as (
                delete from message m
                where m.ctid = any(%s)
                returning m.seq, m.group_id
            ), touched as (
                update message_group g set
                    head_seq = (select min(m.seq) from message m
                                where m.queue_id = $1 and m.group_id = g.group_id
                                  and m.seq not in (select seq from deleted)),
                    busy_until = coalesce((
                        select max(f.visible_at) from (
                            select m.visible_at, m.receive_count from message m
                            where m.queue_id = $1 and m.group_id = g.group_id
                              and m.seq not in (select seq from deleted)
                            order by m.seq
                            limit 10) f
                        where f.receive_count > 0 and f.visible_at > $4), 0)
                where g.queue_id = $1 and g.group_id in (select group_id from deleted)
            )
            select seq, true from deleted
            union all
            select r.seq, false
            from unnest($2::bigint[]) as s(seq)
            cross join lateral (select m.seq from message m where m.queue_id = $1 and m.seq = s.seq offset 0) r
            where r.seq not in (select seq from deleted)""".formatted(KeyProbes.lockedCtids(
            "unnest($2::bigint[], $3::int[]) as h(seq, receive_count)",
            "p.queue_id = $1 and p.seq = h.seq and p.receive_count = h.receive_count and p.visible_at > $4"));

    private final Pool pool;

    DeleteStatements(Pool pool) {
        this.pool = pool;
    }

    /** One handle as the standard delete probes for it. */
    private record Probe(long queueId, long seq, int receiveCount) {}

    /** The primary key's order: the order in which the standard delete locks its rows. */
    private static final Comparator<Probe> KEY_ORDER =
            Comparator.comparingLong(Probe::queueId).thenComparingLong(Probe::seq);

    /** The handles of one standard delete request, on one queue. */
    record Deletion(long queueId, List<Handle> handles) {}

    /** Deletes the messages whose handles are current; returns the sequence numbers of those deleted. */
    Future<Set<Long>> deleteStandard(long queueId, List<Handle> handles) {
        return deleteStandard(List.of(new Deletion(queueId, handles))).map(List::getFirst);
    }

    /**
     * Deletes for several requests in one statement: the messages whose handles are current; answers, for each
     * request in order, the sequence numbers of its handles' messages that are gone by this statement (a message two
     * requests name counts for both, as deleting twice succeeds).
     */
    Future<List<Set<Long>>> deleteStandard(List<Deletion> deletions) {
        int n = 0;
        for (Deletion deletion : deletions) {
            n += deletion.handles().size();
        }
        List<Probe> probes = new ArrayList<>(n);
        for (Deletion deletion : deletions) {
            for (Handle handle : deletion.handles()) {
                probes.add(new Probe(deletion.queueId(), handle.seq(), handle.receiveCount()));
            }
        }
        probes.sort(KEY_ORDER);
        Long[] queueIds = new Long[n];
        Long[] seqs = new Long[n];
        Integer[] receiveCounts = new Integer[n];
        for (int i = 0; i < n; i++) {
            Probe probe = probes.get(i);
            queueIds[i] = probe.queueId();
            seqs[i] = probe.seq();
            receiveCounts[i] = probe.receiveCount();
        }
        return pool.preparedQuery(STANDARD)
                .execute(Tuple.of(queueIds, seqs, receiveCounts))
                .map(rows -> split(deletions, rows));
    }

    private static List<Set<Long>> split(List<Deletion> deletions, RowSet<Row> rows) {
        if (deletions.size() == 1) {
            return List.of(seqsOf(rows));
        }
        Map<Long, Set<Long>> byQueue = new HashMap<>();
        for (Row row : rows) {
            byQueue.computeIfAbsent(row.getLong(0), queue -> new HashSet<>()).add(row.getLong(1));
        }
        List<Set<Long>> split = new ArrayList<>(deletions.size());
        for (Deletion deletion : deletions) {
            Set<Long> ofQueue = byQueue.getOrDefault(deletion.queueId(), Set.of());
            Set<Long> deleted = new HashSet<>();
            for (Handle handle : deletion.handles()) {
                if (ofQueue.contains(handle.seq())) {
                    deleted.add(handle.seq());
                }
            }
            split.add(deleted);
        }
        return split;
    }

    /** What a FIFO delete did: the messages deleted, and those still there whose handle's receive is over. */
    record FifoDeletion(Set<Long> deleted, Set<Long> kept) {}

    /**
     * As {@link #deleteStandard}, keeping the groups' heads and in-flight state right; only a message still in flight
     * from the handle's receive is deleted (SQS FIFO refuses the others).
     */
    Future<Set<Long>> deleteFifo(long queueId, long now, List<Handle> handles) {
        return deleteFifoReporting(queueId, now, handles).map(FifoDeletion::deleted);
    }

    Future<FifoDeletion> deleteFifoReporting(long queueId, long now, List<Handle> handles) {
        Long[] seqs = seqs(handles);
        List<Pipeline.Step> steps = List.of(
                new Pipeline.Step(LOCK_GROUPS_OF, Tuple.tuple().addLong(queueId).addArrayOfLong(seqs)),
                new Pipeline.Step(FIFO, Tuple.of(queueId, seqs, receiveCounts(handles), now)));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .map(rows -> {
                    Set<Long> deleted = new HashSet<>(rows.size() * 2);
                    Set<Long> kept = new HashSet<>();
                    for (Row row : rows) {
                        (row.getBoolean(1) ? deleted : kept).add(row.getLong(0));
                    }
                    return new FifoDeletion(deleted, kept);
                });
    }

    static Long[] seqs(List<Handle> handles) {
        return handles.stream().map(Handle::seq).toArray(Long[]::new);
    }

    static Integer[] receiveCounts(List<Handle> handles) {
        return handles.stream().map(Handle::receiveCount).toArray(Integer[]::new);
    }

    private static Set<Long> seqsOf(RowSet<Row> rows) {
        Set<Long> deleted = new HashSet<>(rows.size() * 2);
        for (Row row : rows) {
            deleted.add(row.getLong(1));
        }
        return deleted;
    }
}
