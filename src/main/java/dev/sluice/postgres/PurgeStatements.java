package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * PurgeQueue as one pipelined transaction (one round trip): the queue's messages, FIFO groups, deduplication keys and
 * receive attempts go, and the queue row records when (the strict mode's one-purge-a-minute rule reads it). A purge
 * locks the rows it deletes, so a concurrent FIFO send (which holds its group's row) finishes first or waits.
 */
final class PurgeStatements {
    static final List<String> STATEMENTS = List.of(
            "delete from message where queue_id = $1",
            "delete from message_group where queue_id = $1",
            "delete from deduplication where queue_id = $1",
            "delete from receive_attempt where queue_id = $1");
    static final String STAMP = "update queue set last_purged_at = $2 where id = $1";

    private final Pool pool;

    PurgeStatements(Pool pool) {
        this.pool = pool;
    }

    Future<Void> purge(long queueId, long now) {
        Tuple queue = Tuple.of(queueId);
        List<Pipeline.Step> steps = new ArrayList<>();
        STATEMENTS.forEach(sql -> steps.add(new Pipeline.Step(sql, queue)));
        steps.add(new Pipeline.Step(STAMP, Tuple.of(queueId, now)));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .mapEmpty();
    }
}
