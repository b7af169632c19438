package dev.sluice.postgres;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.RedrivePolicy;
import dev.sluice.queues.rules.RedriveRules;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@code queue} table: live queues by key, cached on this replica, and the statements that create, change and
 * delete them. A queue of the default region ({@code sluice.region}) has no region in its row, one of any other region
 * names it; statements match {@code coalesce(region, '')}, as the unique index does. A change commits, then drops the
 * key from this replica's cache and sends {@code pg_notify('sluice_catalogue', path)} ({@link QueuePath}), on which every replica drops it too ({@link #forget}); a replica
 * that lost its control connection drops everything ({@link #forgetAll}). Between a change on another replica and its
 * notification arriving, this replica may act on the row as it was.
 */
final class QueueCatalogue {
    static final String CHANNEL = "sluice_catalogue";

    private static final String BY_KEY = "select " + QueueRow.COLUMNS
            + " from queue where account_id = $1 and name = $2 and coalesce(region, '') = $3 and deleted_at is null";
    private static final String LAST_DELETED =
            "select max(deleted_at) from queue where account_id = $1 and name = $2 and coalesce(region, '') = $3"
                    + " and deleted_at is not null";
    private static final String INSERT = """
            insert into queue (account_id, name, fifo, attributes, tags, dead_letter_target, created_at,
                               last_modified_at, region)
            select $1, $2, $3, $4, $5, $6, $7, $7, nullif($9, '')
            where (select count(*) from queue where account_id = $1 and deleted_at is null) < $8
            on conflict (account_id, coalesce(region, ''), name) where deleted_at is null do nothing
            returning\s""" + QueueRow.COLUMNS;
    private static final String LOCK = "select " + QueueRow.COLUMNS + " from queue where id = $1 for update";
    private static final String SET_ATTRIBUTES =
            "update queue set attributes = $2, dead_letter_target = $3, last_modified_at = $4 where id = $1";
    private static final String SET_TAGS = "update queue set tags = $2 where id = $1";
    private static final String NAMES =
            "select name from queue where account_id = $1 and coalesce(region, '') = $3 and deleted_at is null"
                    + " and starts_with(name, $2) order by name";
    private static final String KEYS =
            "select account_id, name, region from queue where deleted_at is null order by account_id, region, name";
    private static final String KEYS_OF = "select account_id, name, region from queue where deleted_at is null"
            + " and account_id = $1 order by account_id, region, name";
    private static final String DEAD_LETTER_SOURCES =
            "select account_id, name, region from queue where deleted_at is null"
                    + " and dead_letter_target = $1 order by name";
    private static final List<String> DELETE = List.of(
            "update queue set deleted_at = $2 where id = $1",
            "delete from message where queue_id = $1",
            "delete from message_group where queue_id = $1",
            "delete from deduplication where queue_id = $1",
            "delete from receive_attempt where queue_id = $1");
    private static final String NOTIFY = "select pg_notify('" + CHANNEL + "', $1)";

    private final Pool pool;
    /** The default region ({@code sluice.region}): its queues' rows have no region. */
    private final String region;

    private final Map<QueueKey, QueueRow> cache = new ConcurrentHashMap<>();

    QueueCatalogue(Pool pool, String region) {
        this.pool = pool;
        this.region = region;
    }

    String region() {
        return region;
    }

    // ---- reads

    /** The live queue, or null. */
    Future<QueueRow> find(QueueKey key) {
        QueueRow cached = cache.get(key);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return pool.preparedQuery(BY_KEY)
                .execute(Tuple.of(key.accountId(), key.name(), regionColumn(key.region())))
                .map(rows -> {
                    QueueRow row = first(rows, read -> QueueRow.of(read, region));
                    if (row != null) {
                        cache.put(key, row);
                    }
                    return row;
                });
    }

    /** The queue as this replica has it cached, or null: for checks that can be made at once. */
    QueueRow cached(QueueKey key) {
        return cache.get(key);
    }

    /** The live queue; QUEUE_NOT_FOUND if there is none. */
    Future<QueueRow> require(QueueKey key) {
        return find(key).map(row -> {
            if (row == null) {
                throw notFound();
            }
            return row;
        });
    }

    /** The row as the database has it now, bypassing the cache (purge's 60-second rule). */
    Future<QueueRow> fresh(QueueKey key) {
        cache.remove(key);
        return require(key);
    }

    /** When a queue of this name was last deleted, or null. */
    Future<Long> lastDeleted(QueueKey key) {
        return pool.preparedQuery(LAST_DELETED)
                .execute(Tuple.of(key.accountId(), key.name(), regionColumn(key.region())))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Checks the queue's RedrivePolicy ({@code RedriveRules}) with its dead-letter queue's settings looked up first: at
     * once when they need no lookup (no policy, another account's target, a cached target), so a broken rule is thrown
     * to the caller directly; else once the target's row is read.
     */
    Future<Void> checkRedrive(QueueKey source, QueueSettings settings) {
        RedrivePolicy policy = settings.redrivePolicy();
        if (policy == null) {
            return Future.succeededFuture();
        }
        QueueKey target = policy.deadLetterTarget().key();
        QueueRow cachedTarget = cache.get(target);
        if (cachedTarget != null || !target.accountId().equals(source.accountId())) {
            RedriveRules.validate(source, settings, key -> cachedTarget == null ? null : cachedTarget.settings());
            return Future.succeededFuture();
        }
        return find(target).map(row -> {
            RedriveRules.validate(source, settings, key -> row == null ? null : row.settings());
            return null;
        });
    }

    Future<List<String>> names(String region, String accountId, String prefix) {
        return pool.preparedQuery(NAMES)
                .execute(Tuple.of(accountId, prefix == null ? "" : prefix, regionColumn(region)))
                .map(rows -> all(rows, row -> row.getString(0)));
    }

    Future<List<QueueKey>> keys(Optional<String> accountId) {
        Future<RowSet<Row>> rows = accountId.isPresent()
                ? pool.preparedQuery(KEYS_OF).execute(Tuple.of(accountId.get()))
                : pool.preparedQuery(KEYS).execute();
        return rows.map(this::keys);
    }

    Future<List<QueueKey>> deadLetterSources(QueueKey target) {
        return pool.preparedQuery(DEAD_LETTER_SOURCES)
                .execute(Tuple.of(QueuePath.of(target, region)))
                .map(this::keys);
    }

    // ---- changes

    /** Inserts the queue unless the account has {@code maxQueues} or a live queue has the name: then null. */
    Future<QueueRow> insert(QueueKey key, QueueSettings settings, Map<String, String> tags, long now, int maxQueues) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.tuple()
                        .addString(key.accountId())
                        .addString(key.name())
                        .addBoolean(settings.fifo())
                        .addValue(QueueRow.json(settings.values()))
                        .addValue(QueueRow.json(tags))
                        .addString(deadLetterTarget(settings, region))
                        .addLong(now)
                        .addLong((long) maxQueues)
                        .addString(regionColumn(key.region())))
                .map(rows -> {
                    QueueRow row = first(rows, read -> QueueRow.of(read, region));
                    if (row != null) {
                        cache.put(key, row);
                    }
                    return row;
                });
    }

    /** Locks the queue's row, applies {@code change} to it and stores the attributes it returns, in one transaction. */
    Future<Void> changeAttributes(QueueKey key, long now, Function<QueueRow, Future<QueueSettings>> change) {
        return locked(
                key,
                (connection, row) -> change.apply(row)
                        .compose(settings -> connection
                                .preparedQuery(SET_ATTRIBUTES)
                                .execute(Tuple.of(
                                        row.id(),
                                        QueueRow.json(settings.values()),
                                        deadLetterTarget(settings, region),
                                        now))));
    }

    /** Locks the queue's row and stores the tags {@code change} makes of its current ones. */
    Future<Void> changeTags(QueueKey key, Function<Map<String, String>, Map<String, String>> change) {
        return locked(
                key,
                (connection, row) -> connection
                        .preparedQuery(SET_TAGS)
                        .execute(Tuple.of(row.id(), QueueRow.json(change.apply(row.tags())))));
    }

    /**
     * One transaction: the queue's row read {@code FOR UPDATE}, {@code write} on it, the change announced; so two
     * changes at once, on any replicas, apply one after the other to the row as the other left it.
     */
    private Future<Void> locked(QueueKey key, BiFunction<SqlConnection, QueueRow, Future<?>> write) {
        return require(key)
                .compose(cached -> pool.withTransaction(connection -> connection
                        .preparedQuery(LOCK)
                        .execute(Tuple.of(cached.id()))
                        .compose(rows -> {
                            QueueRow row = first(rows, read -> QueueRow.of(read, region));
                            if (row == null) {
                                throw notFound();
                            }
                            return write.apply(connection, row);
                        })
                        .compose(done -> notify(connection, key))))
                .onComplete(done -> cache.remove(key));
    }

    /** Marks the queue deleted and removes its messages, groups and deduplication keys, in one round trip. */
    Future<Void> delete(QueueRow row, long now) {
        List<Pipeline.Step> steps = new ArrayList<>();
        steps.add(new Pipeline.Step(DELETE.getFirst(), Tuple.of(row.id(), now)));
        DELETE.subList(1, DELETE.size()).forEach(sql -> steps.add(new Pipeline.Step(sql, Tuple.of(row.id()))));
        steps.add(new Pipeline.Step(NOTIFY, Tuple.of(QueuePath.of(row.key(), region))));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .onComplete(done -> cache.remove(row.key()))
                .mapEmpty();
    }

    /** After a commit elsewhere: tells every replica (this one included) to drop the queue from its cache. */
    Future<Void> announceChange(QueueKey key) {
        cache.remove(key);
        return pool.preparedQuery(NOTIFY)
                .execute(Tuple.of(QueuePath.of(key, region)))
                .mapEmpty();
    }

    private Future<Void> notify(SqlConnection connection, QueueKey key) {
        return connection
                .preparedQuery(NOTIFY)
                .execute(Tuple.of(QueuePath.of(key, region)))
                .mapEmpty();
    }

    /** A notification on {@link #CHANNEL}: another replica (or this one) changed the queue {@code path}. */
    void forget(String path) {
        cache.remove(QueuePath.parse(region, path));
    }

    /** Notifications may have been missed (the control connection was down): nothing cached can be trusted. */
    void forgetAll() {
        cache.clear();
    }

    /** The dead-letter target as {@code account/name}, kept apart for ListDeadLetterSourceQueues; else null. */
    /** How a dead-letter target is stored: its {@link QueuePath}. */
    static String deadLetterTarget(QueueSettings settings, String defaultRegion) {
        RedrivePolicy policy = settings.redrivePolicy();
        return policy == null ? null : QueuePath.of(policy.deadLetterTarget().key(), defaultRegion);
    }

    /** The region as the rows' {@code coalesce(region, '')} has it: empty for the default region. */
    private String regionColumn(String queueRegion) {
        return queueRegion.equals(region) ? "" : queueRegion;
    }

    static QueueException notFound() {
        return new QueueException(QueueError.QUEUE_NOT_FOUND, "The specified queue does not exist.");
    }

    private List<QueueKey> keys(RowSet<Row> rows) {
        return all(rows, row -> {
            String queueRegion = row.getString(2);
            return new QueueKey(queueRegion == null ? region : queueRegion, row.getString(0), row.getString(1));
        });
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> read) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(read.apply(row));
        }
        return out;
    }

    private static <T> T first(RowSet<Row> rows, Function<Row, T> read) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? read.apply(iterator.next()) : null;
    }
}
