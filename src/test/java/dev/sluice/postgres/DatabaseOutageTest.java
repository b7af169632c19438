package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL backend while its database is unreachable, on a PostgreSQL of this class's own (it is stopped and
 * started here, so not the JVM's shared one): which real client failures {@link DatabaseOutage} calls an outage, what
 * {@link GuardedQueues} answers while the server is down, and that the pool and both replicas' control connections
 * come back by themselves when it is up again. The fake clock never moves unless a test moves it.
 */
class DatabaseOutageTest {
    private static final String ACCOUNT = "000000000000";
    private static PostgresCluster cluster;

    private final FakeClock clock = new FakeClock();
    private final Vertx vertx = Vertx.vertx();
    private final List<Pool> pools = new ArrayList<>();
    private final List<PostgresQueues> replicas = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void stop() {
        replicas.forEach(PostgresQueues::close);
        pools.forEach(Pool::close);
        vertx.close();
    }

    @Test
    void refusedResetAndTooManyConnectionsAreOutagesWhileBadStatementsAreNot() throws Exception {
        String database = PostgresExtension.migratedDatabase(cluster, "classified");
        PgConnectOptions options = PostgresRig.connectOptions(cluster, database);

        int closed = closedPort();
        Throwable refused = failureOf(() -> pool(new PgConnectOptions(options).setPort(closed))
                .query("select 1")
                .execute()
                .toCompletionStage());
        assertOutage(refused, "connection failed");

        cluster.execute(database, "create role limited login connection limit 0");
        Throwable tooMany = failureOf(() -> pool(new PgConnectOptions(options).setUser("limited"))
                .query("select 1")
                .execute()
                .toCompletionStage());
        assertOutage(tooMany, "SQLSTATE 53300");

        Pool pool = pool(options);
        SqlConnection connection =
                pool.getConnection().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        int pid = join(connection.query("select pg_backend_pid()").execute().toCompletionStage())
                .iterator()
                .next()
                .getInteger(0);
        cluster.execute(database, "select pg_terminate_backend(" + pid + ")");
        Throwable terminated =
                failureOf(() -> connection.query("select 1").execute().toCompletionStage());
        assertThat(DatabaseOutage.is(terminated)).as("%s", terminated).isTrue();

        Throwable syntax = failureOf(() -> pool.query("selec 1").execute().toCompletionStage());
        assertThat(DatabaseOutage.is(syntax)).isFalse();
        assertThat(DatabaseOutage.explain(syntax)).isSameAs(syntax);
        Throwable duplicate =
                failureOf(() -> pool.query("create table twice (id int primary key); insert into twice values (1), (1)")
                        .execute()
                        .toCompletionStage());
        assertThat(DatabaseOutage.is(duplicate)).as("%s", duplicate).isFalse();
    }

    @Test
    void whileTheServerIsDownEveryOperationIsUnavailableAndAfterItEverythingComesBack() throws Exception {
        String database = PostgresExtension.migratedDatabase(cluster, "down");
        Queues a = replica(database);
        Queues b = replica(database);
        QueueKey key = new QueueKey("us-east-1", ACCOUNT, "kept");
        QueueKey waited = new QueueKey("us-east-1", ACCOUNT, "waited");
        join(a.createQueue(key, Map.of(), Map.of()));
        join(a.createQueue(waited, Map.of(), Map.of()));
        join(a.send(key, message("before")));
        CompletionStage<List<ReceivedMessage>> parked = a.receive(waited, waitingTwentySeconds());
        DatabaseProbe probe = new DatabaseProbe(pools.getFirst(), Duration.ofSeconds(5));
        assertThat(join(probe.problem())).as("what the health endpoints report").isEmpty();

        cluster.stopImmediately();
        try {
            assertThat(join(probe.problem()))
                    .hasValueSatisfying(reason -> assertThat(reason).contains("cannot reach its PostgreSQL database"));
            assertUnavailable(() -> a.send(key, message("during")));
            assertUnavailable(() -> b.receive(key, new ReceiveOptions(10, Optional.empty(), Optional.empty())));
            assertUnavailable(() -> a.describe(key));
            assertUnavailable(() -> b.createQueue(new QueueKey("us-east-1", ACCOUNT, "new"), Map.of(), Map.of()));
            assertUnavailable(() -> a.queueNames("us-east-1", ACCOUNT, ""));
            // Bad input is refused for what it is, down or not.
            assertThatThrownBy(() ->
                            join(a.createQueue(new QueueKey("us-east-1", ACCOUNT, "bad name!"), Map.of(), Map.of())))
                    .isInstanceOfSatisfying(
                            QueueException.class,
                            e -> assertThat(e.error()).isEqualTo(QueueError.INVALID_PARAMETER_VALUE));
            // The parked poll's next claim (its fallback, a second on) fails: the poll ends with the same error.
            clock.advance(Duration.ofSeconds(1));
            assertUnavailable(() -> parked);
        } finally {
            cluster.startAgain();
        }

        // No restart of the replicas: the pool opens new connections on the next request.
        assertThat(join(probe.problem())).isEmpty();
        join(b.send(key, message("after")));
        List<String> bodies = new ArrayList<>();
        for (ReceivedMessage received :
                join(b.receive(key, new ReceiveOptions(10, Optional.empty(), Optional.empty())))) {
            bodies.add(received.body());
        }
        assertThat(bodies).containsExactlyInAnyOrder("before", "after");

        // Both control connections reconnected, LISTEN again and announce again: a send on B wakes a poll parked on A
        // while the fake clock stands still (no fallback, no deadline can answer it).
        CompletionStage<List<ReceivedMessage>> woken = a.receive(waited, waitingTwentySeconds());
        assertThat(PostgresQueuesTest.sendUntilWoken(b, waited, woken))
                .singleElement()
                .extracting(ReceivedMessage::body)
                .asString()
                .startsWith("wake up");
    }

    @Test
    void mergedClaimsAndDeletesThatFailFailEveryRequestInThemAndTheNextOnesSucceedOnceTheDatabaseIsBack()
            throws Exception {
        String database = PostgresExtension.migratedDatabase(cluster, "merged");
        Queues a = replica(database);
        QueueKey key = new QueueKey("us-east-1", ACCOUNT, "merged");
        join(a.createQueue(key, Map.of("VisibilityTimeout", "600"), Map.of()));
        for (int batch = 0; batch < 2; batch++) {
            List<NewMessage> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                messages.add(message("m" + (batch * 10 + i)));
            }
            join(a.sendBatch(key, messages, Long.MAX_VALUE));
        }
        List<String> handles = join(a.receive(key, new ReceiveOptions(6, Optional.empty(), Optional.empty()))).stream()
                .map(ReceivedMessage::receiptHandle)
                .toList();

        List<CompletionStage<?>> requests = new ArrayList<>();
        Connection holder = cluster.connect(database);
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            // The first claim and the first delete wait on the lock; the others wait behind them, to go out merged.
            statement.execute("lock table message in access exclusive mode");
            for (int i = 0; i < 12; i++) {
                requests.add(a.receive(key, new ReceiveOptions(1, Optional.empty(), Optional.empty())));
            }
            for (int i = 0; i < 3; i++) {
                requests.add(a.deleteMessages(key, handles.subList(2 * i, 2 * i + 2)));
            }
            cluster.stopImmediately();
        } catch (SQLException expected) {
            // The holder's connection ends with the server.
        } finally {
            try {
                holder.close();
            } catch (SQLException ignored) {
                // Already gone with the server.
            }
        }
        try {
            for (CompletionStage<?> request : requests) {
                assertUnavailable(() -> request);
            }
        } finally {
            cluster.startAgain();
        }

        // Nothing was lost: the six still in flight are deleted by their handles, the other 14 are all received.
        assertThat(join(a.deleteMessages(key, handles)))
                .allSatisfy(outcome -> assertThat(outcome.succeeded()).isTrue());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            for (ReceivedMessage received :
                    join(a.receive(key, new ReceiveOptions(10, Optional.empty(), Optional.empty())))) {
                bodies.add(received.body());
            }
        }
        assertThat(bodies).hasSize(14).doesNotHaveDuplicates();
    }

    @Test
    void anOperationTheDatabaseDoesNotAnswerInTimeIsUnavailable() throws Exception {
        String database = PostgresExtension.migratedDatabase(cluster, "stuck");
        PostgresQueues replica = new PostgresQueues(
                pool(PostgresRig.connectOptions(cluster, database)),
                clock,
                clock,
                IdSource.random(),
                Strictness.LENIENT,
                "us-east-1");
        replicas.add(replica);
        Queues guarded = new GuardedQueues(replica, Duration.ofMillis(500));
        QueueKey key = new QueueKey("us-east-1", ACCOUNT, "stuck");
        join(replica.createQueue(key, Map.of(), Map.of()));
        try (Connection holder = cluster.connect(database);
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("lock table message in access exclusive mode");
            Throwable failure = failureOf(() -> guarded.send(key, message("stuck")));
            assertThat(failure)
                    .isInstanceOfSatisfying(
                            QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.UNAVAILABLE))
                    .hasMessageContaining("no answer in time");
            holder.rollback();
        }
    }

    private Queues replica(String database) {
        PgConnectOptions connect = PostgresRig.connectOptions(cluster, database);
        Pool pool = pool(connect);
        PostgresQueues replica = new PostgresQueues(
                        pool, clock, clock, IdSource.random(), Strictness.LENIENT, "us-east-1")
                .connect(vertx, pool, connect);
        replicas.add(replica);
        return new GuardedQueues(replica);
    }

    private Pool pool(PgConnectOptions connect) {
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(connect)
                .using(vertx)
                .build();
        pools.add(pool);
        return pool;
    }

    private static ReceiveOptions waitingTwentySeconds() {
        return new ReceiveOptions(1, Optional.empty(), Optional.of(Duration.ofSeconds(20)));
    }

    private static NewMessage message(String body) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "AIDA");
    }

    private static void assertOutage(Throwable failure, String described) {
        assertThat(DatabaseOutage.is(failure)).as("%s", failure).isTrue();
        assertThat(DatabaseOutage.explain(failure))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.UNAVAILABLE))
                .hasMessageContaining(described);
    }

    private static void assertUnavailable(Supplier<CompletionStage<?>> operation) {
        assertThat(failureOf(operation))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.UNAVAILABLE));
    }

    /** How the operation's stage failed (it must fail, within 30 s). */
    private static Throwable failureOf(Supplier<? extends CompletionStage<?>> operation) {
        try {
            operation.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer in 30 s", e);
        }
        throw new AssertionError("the operation succeeded");
    }

    private static <T> T join(CompletionStage<T> stage) {
        return PostgresQueuesTest.join(stage);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
