package dev.sluice.postgres;

/**
 * Rows named by their key (a request's handles, a sweep's sequence numbers), found however the statistics read: each
 * name is one probe of {@code message}'s primary key in a {@code LATERAL} subquery kept apart from the join
 * ({@code OFFSET 0}), whose only inputs are the name's values, so the planner cannot turn the join around. Written as
 * a join of the names with {@code message}, a generic plan made while the statistics called the table empty (after a
 * drain's VACUUM: {@code reltuples} 0 in many pages) put the table outside the nested loop, one walk of the whole index
 * per statement (390 ms for a merged delete of 100 handles in bench/run); as {@code queue_id = $1 and seq = any(…)},
 * PostgreSQL 15 uses only {@code queue_id} as the index condition and filters the queue's whole range
 * ({@code StatementPlansTest}).
 */
final class KeyProbes {
    private KeyProbes() {}

    /**
     * An {@code array(…)} of the named rows' {@code ctid}s, each row locked {@code FOR UPDATE} in its newest version (a
     * concurrent change is waited for and {@code match} checked again on what it wrote), so the statement can then
     * change the rows by {@code ctid}, which nothing else can change while they are locked. {@code names}: the
     * {@code FROM} item of the names (an {@code unnest}); {@code match}: the conditions on {@code p}, the probed row.
     * The rows are locked in the order of {@code names}.
     */
    static String lockedCtids(String names, String match) {
        return """
                array(
                    select x.ctid
                    from %s
                    cross join lateral (
                        select p.ctid from message p
                        where %s
                        offset 0
                        for update) x)""".formatted(names, match);
    }
}
