package dev.sluice.postgres.testkit;

import dev.sluice.postgres.PostgresQueues;
import dev.sluice.postgres.StatementCache;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.Queues;
import dev.sluice.queues.contract.QueuesBackend;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link PostgresQueues} for the Queues contract: a database of its own on the JVM's {@link PostgresCluster} (copied
 * from a migrated template, so a case does not pay for Flyway), a pool and a control connection as a replica has. A
 * restart closes them and opens new ones on the same database: the state is all in PostgreSQL.
 */
public final class PostgresRig implements QueuesBackend {
    private static String template;

    private final PostgresCluster cluster = PostgresCluster.shared();
    private final String database;
    private final Vertx vertx = Vertx.vertx();
    private Pool pool;
    private PostgresQueues queues;

    public PostgresRig() {
        this.database = cluster.createDatabaseFrom(template(cluster), "contract");
    }

    private static synchronized String template(PostgresCluster cluster) {
        if (template == null) {
            template = PostgresExtension.migratedDatabase(cluster, "contract_template");
        }
        return template;
    }

    /**
     * The session settings the server's pool connects with ({@code quarkus.datasource.reactive.additional-properties.*}
     * in application.properties; {@code StatementPlansTest} checks the two agree): generic plans, no sequential or
     * bitmap scans, no JIT.
     */
    public static final Map<String, String> SERVER_SESSION = Map.of(
            "plan_cache_mode", "force_generic_plan", "enable_seqscan", "off", "enable_bitmapscan", "off", "jit", "off");

    /** How a replica reaches the database: prepared statements cached, as the server configures its pool. */
    public static PgConnectOptions connectOptions(PostgresCluster cluster, String database) {
        return new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(cluster.port())
                .setDatabase(database)
                .setUser(PostgresCluster.USER)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(StatementCache.SQL_LIMIT)
                .setProperties(new HashMap<>(SERVER_SESSION));
    }

    /** A replica's pool (four connections) on Vert.x. */
    public static Pool pool(Vertx vertx, PgConnectOptions connect) {
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(connect)
                .using(vertx)
                .build();
    }

    @Override
    public Queues open(FakeClock clock, IdSource ids, Strictness strictness) {
        PgConnectOptions connect = connectOptions(cluster, database);
        pool = pool(vertx, connect);
        queues = new PostgresQueues(pool, clock, clock, ids, strictness, "us-east-1").connect(vertx, pool, connect);
        // As a replica that has started: it has tried for the background lease (alone on its database, it holds it).
        queues.started().toCompletableFuture().join();
        // And has looked for the move tasks to resume (the lease's first work): a test's next clock step runs them.
        settle();
        return queues;
    }

    /** Closes this replica's connections; the next {@link #open} finds the database as it was left. */
    @Override
    public void restart() {
        stopReplica();
    }

    /** Waits until no parked long poll is claiming (what a fake clock's timer started has finished). */
    @Override
    public void settle() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queues != null && !queues.idle() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private void stopReplica() {
        if (queues != null) {
            queues.close();
            pool.close().toCompletionStage().toCompletableFuture().join();
            queues = null;
        }
    }

    @Override
    public void close() {
        stopReplica();
        vertx.close();
        cluster.execute("postgres", "drop database if exists " + database + " with (force)");
    }
}
