package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.VisibilityChange;
import dev.sluice.queues.rules.AccountLimits;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Standard sends, claims and deletes merged by {@link PostgresQueues} on a real PostgreSQL ({@link Coalescer}, {@link
 * MergedClaims}). The first request is held in the database by a lock on the {@code message} table, so the requests
 * made meanwhile wait in the coalescer and go out merged once the lock is released: which statements ran is counted by
 * {@code pg_stat_statements}, and what each request got is checked against the rows.
 */
@ExtendWith(PostgresExtension.class)
class MergedStatementsTest {
    private static final String ACCOUNT = "000000000000";

    private final FakeClock clock = new FakeClock();
    private final Vertx vertx = Vertx.vertx();
    private PostgresCluster cluster;
    private String database;
    private Pool pool;
    private PostgresQueues queues;

    @BeforeEach
    void start(PostgresCluster cluster) {
        this.cluster = cluster;
        database = PostgresExtension.migratedDatabase(cluster, "merged");
        PgConnectOptions connect = PostgresRig.connectOptions(cluster, database);
        pool = PostgresRig.pool(vertx, connect);
        queues = new PostgresQueues(pool, clock, clock, IdSource.random(), Strictness.LENIENT, "us-east-1");
    }

    @AfterEach
    void stop() {
        queues.close();
        PostgresQueuesTest.join(pool.close().toCompletionStage());
        PostgresQueuesTest.join(vertx.close().toCompletionStage());
    }

    @Test
    void receivesMadeWhileAClaimIsInFlightMergeAndEachGetsItsOwnMessages() throws SQLException {
        QueueKey key = queue("many");
        sendMessages(key, 300);
        long claimsBefore = claims();

        List<CompletionStage<List<ReceivedMessage>>> receives = new ArrayList<>();
        whileMessagesLocked(() -> IntStream.range(0, 60).forEach(i -> receives.add(queues.receive(key, upTo(5)))));

        Set<String> seen = new HashSet<>();
        for (CompletionStage<List<ReceivedMessage>> receive : receives) {
            List<ReceivedMessage> got = PostgresQueuesTest.join(receive);
            assertThat(got).as("each receive gets its own five").hasSize(5);
            got.forEach(message -> assertThat(seen.add(message.messageId()))
                    .as("received once: %s", message.body())
                    .isTrue());
        }
        assertThat(seen).hasSize(300);
        // The first claim alone, then the 59 waiting ones in statements of at most 10 receives: 10, 10, 10, 10, 10, 9.
        assertThat(claims() - claimsBefore).isEqualTo(7);
        assertThat(PostgresQueuesTest.join(queues.receive(key, upTo(10)))).isEmpty();
    }

    @Test
    void whenFewerRowsComeBackThanAskedEveryMergedReceiveGetsAShare() throws SQLException {
        QueueKey key = queue("few");
        sendMessages(key, 10);

        List<CompletionStage<List<ReceivedMessage>>> receives = new ArrayList<>();
        whileMessagesLocked(() -> {
            receives.add(queues.receive(key, upTo(1)));
            for (int i = 0; i < 4; i++) {
                receives.add(queues.receive(key, upTo(10)));
            }
        });

        List<Integer> sizes = receives.stream()
                .map(receive -> PostgresQueuesTest.join(receive).size())
                .toList();
        // The lone first claim takes 1; the merged four share the other 9 round-robin.
        assertThat(sizes).containsExactly(1, 3, 2, 2, 2);
    }

    @Test
    void deletesOfTwoQueuesMadeWhileADeleteIsInFlightMergeAndDeleteExactlyTheirRows() throws SQLException {
        QueueKey a = queue("a");
        QueueKey b = queue("b");
        sendMessages(a, 20);
        sendMessages(b, 20);
        List<String> ofA = handles(PostgresQueuesTest.join(queues.receive(a, upTo(10))));
        ofA.addAll(handles(PostgresQueuesTest.join(queues.receive(a, upTo(10)))));
        List<String> ofB = handles(PostgresQueuesTest.join(queues.receive(b, upTo(10))));
        ofB.addAll(handles(PostgresQueuesTest.join(queues.receive(b, upTo(10)))));
        // B's last message received again: its first handle is stale and must delete nothing.
        String stale = ofB.getLast();
        PostgresQueuesTest.join(queues.changeVisibilities(b, List.of(new VisibilityChange(stale, Duration.ZERO))));
        List<ReceivedMessage> again = PostgresQueuesTest.join(queues.receive(b, upTo(10)));
        assertThat(again).hasSize(1);
        long deletesBefore = deletes();

        List<CompletionStage<List<Outcome<Void>>>> requests = new ArrayList<>();
        whileMessagesLocked(() -> {
            requests.add(queues.deleteMessages(a, ofA.subList(0, 5)));
            requests.add(queues.deleteMessages(a, ofA.subList(5, 10)));
            // A message the request before names too: deleting twice succeeds.
            requests.add(queues.deleteMessages(a, List.of(ofA.get(7), ofA.get(10))));
            requests.add(queues.deleteMessages(b, ofB.subList(0, 10)));
            requests.add(queues.deleteMessages(b, List.of(stale, ofB.get(18))));
        });

        for (CompletionStage<List<Outcome<Void>>> request : requests) {
            assertThat(PostgresQueuesTest.join(request))
                    .allSatisfy(outcome -> assertThat(outcome.succeeded()).isTrue());
        }
        // The first delete alone, the other four as one statement.
        assertThat(deletes() - deletesBefore).isEqualTo(2);
        assertThat(bodiesLeft(a)).containsExactlyInAnyOrderElementsOf(bodies(11, 20));
        List<String> leftOfB = new ArrayList<>(bodies(10, 18));
        leftOfB.add("m19");
        assertThat(bodiesLeft(b)).containsExactlyInAnyOrderElementsOf(leftOfB);
    }

    @Test
    void sendsMadeWhileASendIsInFlightMergeAndEachKeepsItsOrderSenderAndTime() throws SQLException {
        QueueKey key = queue("sends");
        long insertsBefore = inserts();

        List<CompletionStage<List<Outcome<SentMessage>>>> requests = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        whileMessagesLocked(() -> {
            for (int r = 0; r < 6; r++) {
                times.add(clock.millis());
                List<NewMessage> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(new NewMessage("r" + r + "-" + i, Map.of(), Map.of(), Optional.empty(), "AIDA" + r));
                }
                requests.add(queues.sendBatch(key, batch, AccountLimits.NO_MESSAGE_LIMIT));
                clock.advance(Duration.ofMillis(1));
            }
        });

        for (CompletionStage<List<Outcome<SentMessage>>> request : requests) {
            assertThat(PostgresQueuesTest.join(request))
                    .allSatisfy(outcome -> assertThat(outcome.succeeded()).isTrue());
        }
        // The first send alone, the other five (50 messages) as one statement.
        assertThat(inserts() - insertsBefore).isEqualTo(2);
        List<ReceivedMessage> inSendOrder = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inSendOrder.addAll(PostgresQueuesTest.join(queues.receive(key, upTo(10))));
        }
        assertThat(inSendOrder).hasSize(60);
        for (int r = 0; r < 6; r++) {
            String request = "r" + r + "-";
            List<ReceivedMessage> ofRequest = inSendOrder.stream()
                    .filter(message -> message.body().startsWith(request))
                    .toList();
            assertThat(ofRequest)
                    .extracting(ReceivedMessage::body)
                    .as("request %d's messages in its order", r)
                    .containsExactlyElementsOf(
                            IntStream.range(0, 10).mapToObj(i -> request + i).toList());
            long sentAt = times.get(r);
            String sender = "AIDA" + r;
            assertThat(ofRequest).allSatisfy(message -> {
                assertThat(message.senderId()).isEqualTo(sender);
                assertThat(message.sentTimestamp().toEpochMilli()).isEqualTo(sentAt);
            });
        }
    }

    private QueueKey queue(String name) {
        QueueKey key = new QueueKey("us-east-1", ACCOUNT, name);
        PostgresQueuesTest.join(queues.createQueue(key, Map.of("VisibilityTimeout", "600"), Map.of()));
        return key;
    }

    private void sendMessages(QueueKey key, int n) {
        for (int i = 0; i < n; i += 10) {
            List<NewMessage> batch = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + 10); j++) {
                batch.add(new NewMessage("m" + j, Map.of(), Map.of(), Optional.empty(), "AIDA"));
            }
            assertThat(PostgresQueuesTest.join(queues.sendBatch(key, batch, AccountLimits.NO_MESSAGE_LIMIT)))
                    .allSatisfy(outcome -> assertThat(outcome.succeeded()).isTrue());
        }
    }

    /**
     * Runs {@code requests} while the {@code message} table is locked, so the first statement they start waits in the
     * database (and the coalescer counts it in flight) until the lock is released.
     */
    private void whileMessagesLocked(Runnable requests) throws SQLException {
        try (Connection holder = cluster.connect(database);
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("lock table message in access exclusive mode");
            requests.run();
            holder.rollback();
        }
    }

    /** Standard claims: {@link ClaimStatements#UNGROUPED} on a queue without groups, else {@link ClaimStatements#FAIR}. */
    private long claims() {
        return cluster.calls(database, ClaimStatements.UNGROUPED.substring(0, 40) + "%")
                + cluster.calls(database, ClaimStatements.FAIR.substring(0, 40) + "%");
    }

    private long inserts() {
        return cluster.calls(database, SendStatements.STANDARD.substring(0, 40) + "%");
    }

    private long deletes() {
        return cluster.calls(database, DeleteStatements.STANDARD.substring(0, 40) + "%");
    }

    private List<String> bodiesLeft(QueueKey key) {
        List<String> bodies = new ArrayList<>();
        try (Connection connection = cluster.connect(database);
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("select m.body from message m join queue q on q.id = m.queue_id"
                        + " where q.name = '" + key.name() + "'")) {
            while (rows.next()) {
                bodies.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return bodies;
    }

    private static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
    }

    private static List<String> handles(List<ReceivedMessage> received) {
        return new ArrayList<>(
                received.stream().map(ReceivedMessage::receiptHandle).toList());
    }

    private static ReceiveOptions upTo(int max) {
        return new ReceiveOptions(max, Optional.empty(), Optional.of(Duration.ZERO));
    }
}
