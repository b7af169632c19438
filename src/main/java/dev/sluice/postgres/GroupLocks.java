package dev.sluice.postgres;

/**
 * The first statement of a FIFO delete, visibility change, expiry sweep or receive retry: it locks the group rows of
 * the messages it is about to change, in group id order (the order a FIFO send locks them in too), so two such
 * transactions on the same groups wait for each other instead of deadlocking.
 *
 * <p>The ids are gathered first, into a sorted array (an init plan: one probe of {@code message_pkey} per message, each
 * in a {@code LATERAL} subquery, whatever the statistics say: {@code DeleteStatements#LOCK_GROUPS_OF}), and
 * each group row is then probed by its whole key in a nested loop over the array, which the {@code lateral} join
 * forces. Written as a join or {@code group_id in (…)}, the planner's generic plan could read every group row of the
 * queue (a merge join over {@code message_group_pkey} on {@code queue_id} alone) or every message of the queue (a
 * filter of {@code message_by_group}); every claim and delete leaves a dead version of a group row behind, so such a
 * scan grew with the groups and with the drain (23–43 ms per FIFO delete in the notes of bench/notes.md).
 */
final class GroupLocks {
    private GroupLocks() {}

    /**
     * Locks the rows of queue {@code $1}'s groups named by {@code groupIds}: a query of distinct group ids in order
     * ({@code select distinct m.group_id … order by m.group_id}).
     */
    static String of(String groupIds) {
        return """
                select l.group_id
                from unnest(array(%s)) as t(group_id)
                cross join lateral (
                    select g.group_id from message_group g
                    where g.queue_id = $1 and g.group_id = t.group_id
                    for update) l""".formatted(groupIds);
    }
}
