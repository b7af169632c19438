package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import dev.sluice.postgres.testkit.PostgresRig;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.MessageAttribute;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.Outcome;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.SentMessage;
import dev.sluice.queues.contract.FifoFixture;
import dev.sluice.queues.rules.MessageDigests;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PostgresQueues} on a real PostgreSQL, as two replicas would run it: two instances, each with its own pool and
 * control connection, on one database, sharing one fake clock (the database's clock in production), so nothing here
 * waits for time to pass: a long poll is answered only by a wake-up.
 */
@ExtendWith(PostgresExtension.class)
class PostgresQueuesTest {
    private static final String ACCOUNT = "000000000000";
    private static final ReceiveOptions TEN = new ReceiveOptions(10, Optional.empty(), Optional.empty());

    private final FakeClock clock = new FakeClock();
    private final Vertx vertx = Vertx.vertx();
    private final List<Pool> pools = new ArrayList<>();
    private PostgresQueues a;
    private PostgresQueues b;

    @BeforeEach
    void start(PostgresCluster cluster) {
        String database = PostgresExtension.migratedDatabase(cluster, "queues");
        a = replica(cluster, database);
        b = replica(cluster, database);
    }

    private PostgresQueues replica(PostgresCluster cluster, String database) {
        PgConnectOptions connect = PostgresRig.connectOptions(cluster, database);
        Pool pool = PostgresRig.pool(vertx, connect);
        pools.add(pool);
        return new PostgresQueues(pool, clock, clock, IdSource.random(), Strictness.LENIENT, "us-east-1")
                .connect(vertx, pool, connect);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        pools.forEach(Pool::close);
        vertx.close();
    }

    @Test
    void aBatchGoesThroughSendReceiveAndDeleteWithItsAttributesAndDigests() {
        QueueKey key = create("plain", Map.of());
        MessageAttribute colour = new MessageAttribute("String", "blue", null);
        MessageAttribute bytes = new MessageAttribute("Binary", null, new byte[] {1, 2, 3});
        List<Outcome<SentMessage>> sent = join(a.sendBatch(
                key, List.of(message("one", Map.of("colour", colour, "raw", bytes)), message("two", Map.of()))));

        assertThat(sent).allMatch(Outcome::succeeded);
        List<ReceivedMessage> received = join(b.receive(key, TEN));
        assertThat(received).extracting(ReceivedMessage::body).containsExactly("one", "two");
        ReceivedMessage first = received.getFirst();
        assertThat(first.messageId()).isEqualTo(sent.getFirst().value().messageId());
        assertThat(first.md5OfMessageAttributes())
                .isEqualTo(sent.getFirst().value().md5OfMessageAttributes())
                .isEqualTo(MessageDigests.ofAttributes(Map.of("colour", colour, "raw", bytes)));
        assertThat(first.messageAttributes().get("raw").binaryValue()).containsExactly(1, 2, 3);
        assertThat(first.receiveCount()).isEqualTo(1);
        assertThat(counts(a, key)).containsExactly(0, 2, 0);

        assertThat(join(a.deleteMessages(
                        key,
                        received.stream().map(ReceivedMessage::receiptHandle).toList())))
                .allMatch(Outcome::succeeded);
        assertThat(counts(b, key)).containsExactly(0, 0, 0);
    }

    /**
     * The body's MD5 is stored by the send ({@code body_md5}) and returned by the receive; a row stored without it (sent
     * before V7, or imported) gets it computed from the body.
     */
    @Test
    void aReceiveReturnsTheBodysDigestWhetherTheSendStoredItOrNot() {
        QueueKey key = create("digests", Map.of());
        List<Outcome<SentMessage>> sent =
                join(a.sendBatch(key, List.of(message("stored", Map.of()), message("computed ✓", Map.of()))));
        assertThat(sent.getFirst().value().md5OfMessageBody()).isEqualTo(MessageDigests.ofBody("stored"));
        join(pools.getFirst()
                .query("update message set body_md5 = null where body = 'computed ✓'")
                .execute()
                .toCompletionStage());

        List<ReceivedMessage> received = join(b.receive(key, TEN));

        assertThat(received)
                .extracting(ReceivedMessage::md5OfBody)
                .containsExactly(MessageDigests.ofBody("stored"), MessageDigests.ofBody("computed ✓"));
        assertThat(received.getLast().md5OfBody())
                .isEqualTo(sent.getLast().value().md5OfMessageBody());
    }

    /**
     * Fair queues across replicas: the in-flight counts that make a group noisy are the database's, so messages held
     * by receives on A make the group noisy for a receive on B, and deletes through B end it for A.
     */
    @Test
    void aGroupMadeNoisyByReceivesOnOneReplicaWaitsBehindTheOthersOnTheOther() {
        QueueKey key = create("tenants", Map.of());
        for (int i = 0; i < 40; i += 10) {
            List<NewMessage> batch = new ArrayList<>();
            for (int j = i; j < i + 10; j++) {
                batch.add(FifoFixture.grouped("noisy-" + j, "noisy"));
            }
            join(a.sendBatch(key, batch));
        }
        ReceiveOptions tenForAnHour = new ReceiveOptions(10, Optional.of(Duration.ofHours(1)), Optional.empty());
        List<ReceivedMessage> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.addAll(join(a.receive(key, tenForAnHour)));
        }
        assertThat(held).hasSize(30);
        join(a.send(key, FifoFixture.grouped("quiet-0", "quiet")));

        ReceiveOptions one = new ReceiveOptions(1, Optional.of(Duration.ofHours(1)), Optional.empty());
        assertThat(join(b.receive(key, one))).extracting(ReceivedMessage::body).containsExactly("quiet-0");

        join(b.deleteMessages(
                key,
                held.subList(0, 10).stream().map(ReceivedMessage::receiptHandle).toList()));
        join(b.send(key, FifoFixture.grouped("quiet-1", "quiet")));
        assertThat(join(a.receive(key, one)))
                .as("20 in flight: nobody is noisy, the oldest comes first")
                .extracting(ReceivedMessage::body)
                .containsExactly("noisy-30");
    }

    @Test
    void aFifoQueueDeduplicatesAndHoldsAGroupWhileItsHeadIsInFlight() {
        QueueKey key = create("orders.fifo", Map.of("FifoQueue", "true"));
        SentMessage first = join(a.send(key, fifo("g", "d1", "a")));
        join(b.send(key, fifo("g", "d2", "b")));
        SentMessage again = join(b.send(key, fifo("g", "d1", "a again")));
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.sequenceNumber()).isEqualTo(first.sequenceNumber());

        List<ReceivedMessage> head = join(a.receive(key, new ReceiveOptions(1, Optional.empty(), Optional.empty())));
        assertThat(head).extracting(ReceivedMessage::body).containsExactly("a");
        assertThat(join(b.receive(key, TEN))).as("the group is in flight").isEmpty();

        join(b.deleteMessage(key, head.getFirst().receiptHandle()));
        assertThat(join(a.receive(key, TEN))).extracting(ReceivedMessage::body).containsExactly("b");
    }

    @Test
    void aMessagePastMaxReceiveCountMovesToTheDeadLetterQueueInTheClaim() {
        QueueKey dead = create("dead", Map.of());
        QueueKey source = create(
                "source",
                Map.of(
                        "RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:" + ACCOUNT
                                + ":dead\",\"maxReceiveCount\":\"1\"}"));
        join(a.send(source, message("poison", Map.of())));
        ReceivedMessage once = join(a.receive(source, TEN)).getFirst();
        join(a.changeVisibility(source, once.receiptHandle(), Duration.ZERO));

        assertThat(join(b.receive(source, TEN)))
                .as("moved, not handed out again")
                .isEmpty();
        assertThat(join(b.deadLetterSourceQueues(dead))).containsExactly(source);
        ReceivedMessage moved = join(b.receive(dead, TEN)).getFirst();
        assertThat(moved.messageId()).isEqualTo(once.messageId());
        assertThat(moved.receiveCount()).isEqualTo(2);
        assertThat(moved.deadLetterSourceQueue()).isEqualTo(source);
    }

    @Test
    void consumersOnTwoReplicasNeverGetTheSameMessageWithinItsVisibilityTimeout() throws Exception {
        QueueKey key = create("shared", Map.of());
        for (int batch = 0; batch < 30; batch++) {
            List<NewMessage> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                messages.add(message("m" + (batch * 10 + i), Map.of()));
            }
            join((batch % 2 == 0 ? a : b).sendBatch(key, messages));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        ExecutorService consumers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                PostgresQueues replica = c % 2 == 0 ? a : b;
                running.add(consumers.submit(() -> {
                    List<ReceivedMessage> got;
                    while (!(got = join(replica.receive(key, TEN))).isEmpty()) {
                        for (ReceivedMessage message : got) {
                            if (!seen.add(message.messageId())) {
                                synchronized (duplicates) {
                                    duplicates.add(message.body());
                                }
                            }
                        }
                    }
                }));
            }
            for (Future<?> consumer : running) {
                consumer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            consumers.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(300);
    }

    @Test
    void aSendOnOneReplicaWakesALongPollParkedOnTheOther() throws Exception {
        QueueKey key = create("waited", Map.of());
        CompletionStage<List<ReceivedMessage>> parked =
                a.receive(key, new ReceiveOptions(1, Optional.empty(), Optional.of(Duration.ofSeconds(20))));
        // The fake clock never moves: neither the deadline nor the fallback poll can answer it, only a wake-up.
        assertThat(sendUntilWoken(b, key, parked))
                .singleElement()
                .extracting(ReceivedMessage::body)
                .asString()
                .startsWith("wake up");
    }

    /**
     * Sends on {@code sender} until the poll parked on another replica is answered, and returns its answer. The sender
     * learns that the other replica listens from its announcement; sends before it arrives wake nothing.
     */
    static List<ReceivedMessage> sendUntilWoken(
            Queues sender, QueueKey key, CompletionStage<List<ReceivedMessage>> parked) throws Exception {
        for (int attempt = 0; attempt < 150; attempt++) {
            join(sender.send(key, message("wake up " + attempt, Map.of())));
            try {
                return parked.toCompletableFuture().get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // the announcement has not reached the sender yet (it is sent again every 10 s)
            }
        }
        throw new AssertionError("the parked poll was never woken");
    }

    @Test
    void policyEditsOnTwoReplicasAtOnceBothLand() {
        QueueKey key = create("policed", Map.of());
        UnaryOperator<String> addA = policy -> withId(policy, "A");
        UnaryOperator<String> addB = policy -> withId(policy, "B");
        List<CompletionStage<Void>> edits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            edits.add(a.editPolicy(key, addA));
            edits.add(b.editPolicy(key, addB));
        }
        edits.forEach(PostgresQueuesTest::join);
        String policy = join(a.describe(key)).settings().values().get("Policy");
        assertThat(policy.replaceAll("[^AB]", "")).as(policy).hasSize(20);
    }

    /** A policy document whose Id grows by one letter per edit: a lost edit shows as a missing letter. */
    private static String withId(String policy, String letter) {
        String id = policy == null ? "" : policy.replaceAll(".*\"Id\":\"([AB]*)\".*", "$1");
        return "{\"Version\":\"2012-10-17\",\"Id\":\"" + id + letter + "\",\"Statement\":[]}";
    }

    @Test
    void queuesAreListedCreatedOnceAndGoneOnEveryReplicaWhenDeleted() {
        QueueKey key = create("listed", Map.of("VisibilityTimeout", "40"));
        assertThat(join(b.createQueue(key, Map.of("VisibilityTimeout", "40"), Map.of()))
                        .settings()
                        .visibilityTimeout())
                .isEqualTo(Duration.ofSeconds(40));
        assertThatThrownBy(() -> join(b.createQueue(key, Map.of("VisibilityTimeout", "41"), Map.of())))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.QUEUE_NAME_EXISTS));
        assertThat(join(b.queueNames("us-east-1", ACCOUNT, "li"))).containsExactly("listed");
        join(b.describe(key));

        join(a.deleteQueue(key));
        assertThatThrownBy(() -> join(awaitGone(b, key)))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.QUEUE_NOT_FOUND));
    }

    /** B's cache drops the queue when A's notification arrives. */
    private static CompletionStage<QueueInfo> awaitGone(PostgresQueues replica, QueueKey key) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                join(replica.describe(key));
            } catch (QueueException gone) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return replica.describe(key);
    }

    private QueueKey create(String name, Map<String, String> attributes) {
        QueueKey key = new QueueKey("us-east-1", ACCOUNT, name);
        join(a.createQueue(key, attributes, Map.of()));
        return key;
    }

    private static List<Integer> counts(PostgresQueues replica, QueueKey key) {
        QueueInfo info = join(replica.describe(key));
        return List.of(info.visible(), info.inFlight(), info.delayed());
    }

    private static NewMessage message(String body, Map<String, MessageAttribute> attributes) {
        return new NewMessage(body, attributes, Map.of(), Optional.empty(), "AIDA");
    }

    private static NewMessage fifo(String group, String deduplicationId, String body) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "AIDA", group, deduplicationId);
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
