package dev.sluice.postgres;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.rules.MessageDigests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fresh database on the test cluster, a Vert.x pool on it (prepared statements cached and the session settings, as the
 * server configures them) and the statements under test; plus plain JDBC reads for the assertions.
 */
final class PostgresFixture implements AutoCloseable {
    final PostgresCluster cluster;
    final String database;
    private final int port;
    final Vertx vertx = Vertx.vertx();
    final Pool pool;
    final SendStatements sends;
    final ClaimStatements claims;
    final DeleteStatements deletes;
    final VisibilityStatements visibility;
    final PurgeStatements purges;

    PostgresFixture(PostgresCluster cluster, String prefix) {
        this(cluster, PostgresExtension.migratedDatabase(cluster, prefix), cluster.port(), 8);
    }

    private PostgresFixture(PostgresCluster cluster, String database, int port, int poolSize) {
        this.cluster = cluster;
        this.database = database;
        this.port = port;
        this.pool = pool(port, poolSize);
        this.sends = new SendStatements(pool);
        this.claims = new ClaimStatements(pool);
        this.deletes = new DeleteStatements(pool);
        this.visibility = new VisibilityStatements(pool);
        this.purges = new PurgeStatements(pool);
    }

    /** The same database reached through another port (a proxy in front of the server). */
    PostgresFixture through(int otherPort) {
        return new PostgresFixture(cluster, database, otherPort, 8);
    }

    /** The same database through a pool of this size (one connection: every statement on one wire). */
    PostgresFixture withPoolSize(int size) {
        PostgresFixture resized = new PostgresFixture(cluster, database, port, size);
        close();
        return resized;
    }

    Pool pool(int port, int size) {
        PgConnectOptions connect = new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setDatabase(database)
                .setUser(PostgresCluster.USER)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(StatementCache.SQL_LIMIT)
                .setProperties(new HashMap<>(PostgresRig.SERVER_SESSION));
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size))
                .connectingTo(connect)
                .using(vertx)
                .build();
    }

    long createQueue(String name, boolean fifo) {
        return join(pool.preparedQuery("insert into queue (account_id, name, fifo, attributes, tags, created_at,"
                                + " last_modified_at) values ('000000000000', $1, $2, '{}', '{}', 0, 0) returning id")
                        .execute(Tuple.of(name, fifo)))
                .iterator()
                .next()
                .getLong(0);
    }

    /** A message as a send writes it (no attributes; a FIFO message's key is its deduplication id), digest included. */
    static OutgoingMessage outgoing(long delayMillis, String groupId, String deduplicationId, String body) {
        return new OutgoingMessage(
                UUID.randomUUID(),
                delayMillis,
                groupId,
                deduplicationId,
                deduplicationId,
                null,
                body,
                MessageDigests.bodyDigest(body));
    }

    static OutgoingMessage standard(String body) {
        return outgoing(0, null, null, body);
    }

    static OutgoingMessage fifo(String group, String deduplicationId, String body) {
        return outgoing(0, group, deduplicationId, body);
    }

    static List<OutgoingMessage> standardBatch(int n, String prefix) {
        List<OutgoingMessage> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(standard(prefix + i));
        }
        return batch;
    }

    static String kib(int i) {
        String head = "message " + i + " ";
        return head + "x".repeat(1024 - head.getBytes(StandardCharsets.UTF_8).length);
    }

    long count(String sql) {
        try (Connection connection = cluster.connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static <T> T join(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        join(pool.close());
        join(vertx.close());
    }
}
