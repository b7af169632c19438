package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The background lease and its work with two replicas on one database, as two {@link PostgresQueues}, each on a Vert.x
 * of its own (its event loops, pool, control and lease connections), sharing one fake clock: exactly one holds the
 * lease; when it dies (its Vert.x closed: sockets dropped, no unlock sent, as a killed process) PostgreSQL releases
 * the lock, the other takes over within a few seconds and finishes its move task from the stored progress.
 */
@ExtendWith(PostgresExtension.class)
class BackgroundWorkTest {
    private static final String ACCOUNT = "000000000000";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final FakeClock clock = new FakeClock();
    private final List<Replica> replicas = new ArrayList<>();
    private final Set<Replica> killed = new HashSet<>();
    private PostgresCluster cluster;
    private String database;

    private record Replica(Vertx vertx, Pool pool, PostgresQueues queues) {}

    @BeforeEach
    void start(PostgresCluster cluster) {
        this.cluster = cluster;
        this.database = PostgresExtension.migratedDatabase(cluster, "background");
    }

    private Replica replica() {
        Vertx vertx = Vertx.vertx();
        PgConnectOptions connect = PostgresRig.connectOptions(cluster, database);
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(connect)
                .using(vertx)
                .build();
        PostgresQueues queues = new PostgresQueues(
                        pool, clock, clock, IdSource.random(), Strictness.LENIENT, "us-east-1")
                .connect(vertx, pool, connect);
        join(queues.started());
        Replica replica = new Replica(vertx, pool, queues);
        replicas.add(replica);
        return replica;
    }

    /** Dies as a killed process would: its sockets closed, nothing said to the database. */
    private void kill(Replica replica) {
        killed.add(replica);
        join(replica.vertx().close().toCompletionStage());
    }

    @AfterEach
    void stop() {
        for (Replica replica : replicas) {
            if (!killed.contains(replica)) {
                replica.queues().close();
                join(replica.vertx().close().toCompletionStage());
            }
        }
        cluster.execute("postgres", "drop database if exists " + database + " with (force)");
    }

    @Test
    void exactlyOneReplicaHoldsTheLeaseAndAnotherTakesOverWhenItDies() {
        Replica first = replica();
        Replica second = replica();
        Replica third = replica();
        assertThat(List.of(first, second, third))
                .filteredOn(replica -> replica.queues().leading())
                .as("the first to try holds it")
                .containsExactly(first);

        kill(first);

        waitFor(() -> second.queues().leading() || third.queues().leading());
        assertThat(second.queues().leading() && third.queues().leading())
                .as("one at a time")
                .isFalse();
    }

    @Test
    void aMoveTaskWhoseRunnerDiesIsFinishedByTheNextLeaseHolderWithoutLossOrDuplicates() {
        Replica first = replica();
        Replica second = replica();
        assertThat(first.queues().leading()).isTrue();
        QueueKey dlq = create(second, "dlq", Map.of());
        QueueKey orders = create(
                second,
                "orders",
                Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"1\"}"));
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            sent.add(join(second.queues().send(orders, message("m" + i), AccountLimits.NO_MESSAGE_LIMIT))
                    .messageId());
        }
        drainOnce(second, orders);
        clock.advance(TIMEOUT);
        drainOnce(second, orders);
        assertThat(counts(second, dlq)).containsExactly(25, 0, 0);

        // Started on the replica that does not run tasks: the lease holder takes it up on its next period.
        String handle = join(second.queues().startMessageMoveTask(new StartMoveTask(dlq, arn(dlq), null, null, 10)));
        waitFor(() -> clock.pendingTasks() > 0);
        clock.advance(Duration.ZERO);
        waitFor(first.queues()::idle);
        assertThat(task(second, dlq).approximateNumberOfMessagesMoved()).isEqualTo(10);

        kill(first);
        waitFor(second.queues()::leading);
        waitFor(second.queues()::idle);
        clock.advance(Duration.ZERO);
        waitFor(second.queues()::idle);
        assertThat(task(second, dlq).approximateNumberOfMessagesMoved())
                .as("resumed at once by the new holder")
                .isEqualTo(20);
        clock.advanceSeconds(1);
        waitFor(second.queues()::idle);

        MessageMoveTask done = task(second, dlq);
        assertThat(done.taskHandle()).isEqualTo(handle);
        assertThat(done.status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(25);
        assertThat(counts(second, dlq)).containsExactly(0, 0, 0);
        List<String> back = new ArrayList<>();
        for (List<ReceivedMessage> batch = receive(second, orders); !batch.isEmpty(); batch = receive(second, orders)) {
            batch.forEach(message -> back.add(message.messageId()));
        }
        assertThat(back).as("every message once, with its id").containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aSweepDeletesExpiredMessagesDeduplicationRowsReceiveAttemptsAndDeletedQueues() throws SQLException {
        Replica replica = replica();
        QueueKey shortLived = create(replica, "short", Map.of("MessageRetentionPeriod", "60"));
        QueueKey fifo = create(
                replica,
                "short.fifo",
                Map.of("FifoQueue", "true", "MessageRetentionPeriod", "60", "ContentBasedDeduplication", "true"));
        QueueKey kept = create(replica, "kept", Map.of());
        QueueKey gone = create(replica, "gone", Map.of());
        for (int i = 0; i < 5; i++) {
            join(replica.queues().send(shortLived, message("s" + i), AccountLimits.NO_MESSAGE_LIMIT));
            join(replica.queues().send(kept, message("k" + i), AccountLimits.NO_MESSAGE_LIMIT));
            join(replica.queues().send(gone, message("g" + i), AccountLimits.NO_MESSAGE_LIMIT));
            join(replica.queues()
                    .send(
                            fifo,
                            new NewMessage("f" + i, Map.of(), Map.of(), Optional.empty(), "sender", "g" + i % 2, null),
                            AccountLimits.NO_MESSAGE_LIMIT));
        }
        join(replica.queues()
                .receive(fifo, new ReceiveOptions(1, Optional.empty(), Optional.of(Duration.ZERO), "attempt-1")));
        join(replica.queues().deleteQueue(gone));
        assertThat(rows("select count(*) from receive_attempt")).isEqualTo(1);
        assertThat(rows("select count(*) from deduplication")).isEqualTo(5);

        clock.advance(Duration.ofHours(2));
        long deleted = join(replica.queues().sweep());

        assertThat(rows("select count(*) from message"))
                .as("only the kept queue's")
                .isEqualTo(5);
        assertThat(rows("select count(*) from message_group where head_seq is not null"))
                .as("the FIFO groups emptied")
                .isZero();
        assertThat(rows("select count(*) from deduplication")).isZero();
        assertThat(rows("select count(*) from receive_attempt")).isZero();
        assertThat(rows("select count(*) from queue"))
                .as("the deleted queue's row, an hour on")
                .isEqualTo(3);
        assertThat(deleted).isEqualTo(5 + 5 + 5 + 1 + 1);
        assertThat(counts(replica, kept)).containsExactly(5, 0, 0);
        join(replica.queues()
                .send(
                        fifo,
                        new NewMessage("again", Map.of(), Map.of(), Optional.empty(), "sender", "g0", null),
                        AccountLimits.NO_MESSAGE_LIMIT));
        assertThat(receive(replica, fifo))
                .extracting(ReceivedMessage::body)
                .as("a group whose expired messages were swept is received from its new head")
                .containsExactly("again");
    }

    // ---- helpers

    private long rows(String sql) throws SQLException {
        try (Connection connection = cluster.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static QueueKey create(Replica replica, String name, Map<String, String> attributes) {
        QueueKey key = new QueueKey("us-east-1", ACCOUNT, name);
        join(replica.queues().createQueue(key, attributes, Map.of(), 1000));
        return key;
    }

    private static String arn(QueueKey key) {
        return "arn:aws:sqs:us-east-1:" + key.accountId() + ":" + key.name();
    }

    private static NewMessage message(String body) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "sender");
    }

    private static List<ReceivedMessage> receive(Replica replica, QueueKey key) {
        return join(
                replica.queues().receive(key, new ReceiveOptions(10, Optional.empty(), Optional.of(Duration.ZERO))));
    }

    private void drainOnce(Replica replica, QueueKey key) {
        while (!join(replica.queues()
                        .receive(key, new ReceiveOptions(10, Optional.of(TIMEOUT), Optional.of(Duration.ZERO))))
                .isEmpty()) {
            // received once, let go: the next receive after the timeout dead-letters them
        }
    }

    private static MessageMoveTask task(Replica replica, QueueKey source) {
        return join(replica.queues().listMessageMoveTasks(source, 1)).getFirst();
    }

    private static List<Integer> counts(Replica replica, QueueKey key) {
        var info = join(replica.queues().describe(key));
        return List.of(info.visible(), info.inFlight(), info.delayed());
    }

    private static void waitFor(BooleanSupplier condition) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(until);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
