package dev.sluice.postgres;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.QueueStatistics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The per-queue counts of {@code /q/metrics} in the PostgreSQL mode. The gauges (visible, in flight, delayed, age of
 * the oldest message, which queues are dead-letter queues, how many queues) come from one query over every live queue
 * and its messages per scrape (concurrent scrapes share one), so every replica answers the same; the counters are this
 * replica's own ({@link ReplicaActivity}). Messages past their retention period are left out, as in
 * GetQueueAttributes. Costs one scan of the {@code message} table per scrape. A scrape on an event-loop thread never
 * waits: it gets the last answer and starts a new read. While the database is away there are no per-queue series.
 */
final class PostgresStatistics implements QueueStatistics {
    private static final Logger LOG = Logger.getLogger(PostgresStatistics.class);
    private static final long WAIT_SECONDS = 10;

    private static final String COUNTS = """
            select q.account_id, q.region, q.name, q.dead_letter_target,
                   count(m.seq) filter (where m.visible_at <= $1),
                   count(m.seq) filter (where m.visible_at > $1 and m.receive_count > 0),
                   count(m.seq) filter (where m.visible_at > $1 and m.receive_count = 0),
                   min(m.enqueued_at)
            from queue q
                 left join message m on m.queue_id = q.id
                     and m.enqueued_at > $1 - (q.attributes->>'MessageRetentionPeriod')::bigint * 1000
            where q.deleted_at is null
            group by q.id""";

    private final Pool pool;
    private final InstantSource clock;
    private final String region;
    private final ReplicaActivity activity;
    private volatile List<Counts> last = List.of();
    private Future<List<Counts>> refreshing;

    PostgresStatistics(Pool pool, InstantSource clock, String region, ReplicaActivity activity) {
        this.pool = pool;
        this.clock = clock;
        this.region = region;
        this.activity = activity;
    }

    @Override
    public List<Counts> read() {
        Future<List<Counts>> refresh = refresh(clock.millis());
        if (Context.isOnEventLoopThread()) {
            return last;
        }
        try {
            return refresh.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("Per-queue metrics not read from PostgreSQL: %s", e.toString());
            return last;
        }
    }

    private synchronized Future<List<Counts>> refresh(long now) {
        if (refreshing == null) {
            refreshing = pool.preparedQuery(COUNTS)
                    .execute(Tuple.of(now))
                    .map(rows -> counts(rows, now))
                    .onComplete(done -> {
                        synchronized (this) {
                            refreshing = null;
                        }
                        // The database away: no per-queue series rather than stale ones.
                        last = done.succeeded() ? done.result() : List.of();
                    });
        }
        return refreshing;
    }

    private List<Counts> counts(RowSet<Row> rows, long now) {
        Set<String> deadLetterTargets = new HashSet<>();
        for (Row row : rows) {
            String target = row.getString(3);
            if (target != null) {
                deadLetterTargets.add(target);
            }
        }
        List<Counts> counts = new ArrayList<>(rows.size());
        Set<QueueKey> live = new HashSet<>();
        for (Row row : rows) {
            String rowRegion = row.getString(1);
            QueueKey key = new QueueKey(rowRegion == null ? region : rowRegion, row.getString(0), row.getString(2));
            live.add(key);
            Long oldest = row.getLong(7);
            ReplicaActivity.Counters done = activity.read(key);
            counts.add(new Counts(
                    key,
                    deadLetterTargets.contains(QueuePath.of(key, region)),
                    row.getLong(4).intValue(),
                    row.getLong(5).intValue(),
                    row.getLong(6).intValue(),
                    oldest == null ? 0 : Math.max(0, now - oldest),
                    done.sent.sum(),
                    done.sentBytes.sum(),
                    done.received.sum(),
                    done.deleted.sum(),
                    done.emptyReceives.sum(),
                    done.deadLettered.sum(),
                    done.deduplicated.sum()));
        }
        activity.retain(live);
        return counts;
    }
}
