package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.queues.testkit.FakeClock;
import dev.sluice.store.journal.JournalStore;
import dev.sluice.store.mapdb.MapDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data written before queues had regions (src/test/resources/fixtures/pre-regions-98b0256, through the journal and
 * through MapDB) opens unchanged in the default region, keeps working there next to a queue of the same name in
 * another region, and moves with {@code sluice.region} when that is changed, dead-letter queues and move tasks
 * included.
 */
class PreRegionDataTest {
    private static final String ACCOUNT = "000000000000";
    private static final ReceiveOptions NOW =
            new ReceiveOptions(10, Optional.of(Duration.ZERO), Optional.of(Duration.ZERO));

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-01T00:01:00Z"));
    private Store store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private void copyFixture(String kind) throws IOException {
        String fixture = "/fixtures/pre-regions-98b0256/";
        if (kind.equals("journal")) {
            try (InputStream in = getClass().getResourceAsStream(fixture + "0000000001.journal")) {
                Files.copy(in, dir.resolve("0000000001.journal"));
            }
        } else {
            try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream(fixture + "sluice.mapdb.gz"))) {
                Files.copy(in, dir.resolve(MapDbStore.FILE_NAME));
            }
        }
    }

    private QueueEngine open(String kind, String defaultRegion) {
        if (store != null) {
            store.close();
        }
        store = kind.equals("journal")
                ? new JournalStore(dir, JournalStore.Durability.FSYNC, Duration.ofMillis(50))
                : new MapDbStore(dir, MapDbStore.Durability.FSYNC, Duration.ofMillis(50));
        return new QueueEngine(store, clock, clock, IdSource.random(), Strictness.LENIENT, defaultRegion);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static QueueKey key(String region, String name) {
        return new QueueKey(region, ACCOUNT, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"journal", "mapdb"})
    void oldDataIsInTheDefaultRegionAndAQueueOfTheSameNameElsewhereIsAnother(String kind) throws Exception {
        copyFixture(kind);
        QueueEngine engine = open(kind, "us-east-1");
        assertOldData(engine, "us-east-1");
        assertThat(join(engine.queueNames("eu-west-1", ACCOUNT, null))).isEmpty();

        QueueKey elsewhere = key("eu-west-1", "orders");
        join(engine.createQueue(elsewhere, Map.of("VisibilityTimeout", "5"), Map.of()));
        join(engine.send(elsewhere, new NewMessage("in ireland", Map.of(), Map.of(), Optional.empty(), "AIDA")));

        engine = open(kind, "us-east-1");
        assertOldData(engine, "us-east-1");
        assertThat(join(engine.describe(elsewhere)).settings().values()).containsEntry("VisibilityTimeout", "5");
        assertThat(join(engine.receive(elsewhere, NOW)))
                .extracting(ReceivedMessage::body)
                .containsExactly("in ireland");
        assertThat(join(engine.queueNames("eu-west-1", ACCOUNT, null))).containsExactly("orders");
        assertThat(join(engine.queueKeys(Optional.of(ACCOUNT))))
                .containsExactly(
                        key("eu-west-1", "orders"),
                        key("us-east-1", "events.fifo"),
                        key("us-east-1", "orders"),
                        key("us-east-1", "orders-dlq"));

        // eu-west-1 made the default region would make its orders and the old one a single queue: refused, both kept.
        assertThatThrownBy(() -> open(kind, "eu-west-1"))
                .isInstanceOf(QueueEngine.StoredQueuesClash.class)
                .hasMessageContaining("queue orders of account 000000000000");
        store.close();
        store = null;
        engine = open(kind, "us-east-1");
        assertOldData(engine, "us-east-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"journal", "mapdb"})
    void oldDataMovesWithTheDefaultRegionDeadLetterQueueAndMoveTaskIncluded(String kind) throws Exception {
        copyFixture(kind);
        QueueEngine engine = open(kind, "eu-central-1");
        assertOldData(engine, "eu-central-1");
        assertThat(join(engine.queueNames("us-east-1", ACCOUNT, null))).isEmpty();

        // The stored RedrivePolicy still names us-east-1: its dead-letter queue is the one in the source's region.
        QueueKey orders = key("eu-central-1", "orders");
        QueueKey dlq = key("eu-central-1", "orders-dlq");
        join(engine.send(orders, new NewMessage("poison too", Map.of(), Map.of(), Optional.empty(), "AIDA")));
        for (int i = 0; i < 2; i++) {
            join(engine.receive(orders, NOW));
        }
        assertThat(join(engine.describe(orders)).visible()).isZero();
        assertThat(join(engine.describe(dlq)).visible()).isEqualTo(3);

        // The stored move task runs in the new default region too: it had one message to move, back to orders.
        clock.advance(Duration.ofSeconds(3));
        // The tick's progress is published once its commit is done; a later commit completes after it.
        join(engine.createQueue(key("eu-central-1", "after-the-tick"), Map.of(), Map.of()));
        assertThat(join(engine.listMessageMoveTasks(dlq, 1)))
                .singleElement()
                .satisfies(task ->
                        assertThat(task.approximateNumberOfMessagesMoved()).isEqualTo(1));
        assertThat(join(engine.describe(dlq)).visible()).isEqualTo(2);
        assertThat(join(engine.describe(orders)).visible()).isEqualTo(1);
    }

    /** The fixture's queues and messages, found in {@code region}. */
    private static void assertOldData(QueueEngine engine, String region) {
        QueueKey orders = key(region, "orders");
        QueueKey dlq = key(region, "orders-dlq");
        assertThat(join(engine.queueNames(region, ACCOUNT, null)))
                .containsExactly("events.fifo", "orders", "orders-dlq");
        assertThat(join(engine.describe(orders)).settings().values()).containsEntry("VisibilityTimeout", "45");
        assertThat(join(engine.describe(orders)).tags()).containsEntry("team", "shop");
        assertThat(join(engine.describe(orders)).visible()
                        + join(engine.describe(orders)).inFlight())
                .isEqualTo(1);
        assertThat(join(engine.describe(key(region, "events.fifo"))).visible()).isEqualTo(1);
        assertThat(join(engine.deadLetterSourceQueues(dlq))).containsExactly(orders);
        assertThat(join(engine.listMessageMoveTasks(dlq, 10)))
                .extracting(task -> task.status())
                .containsExactly(MoveTaskStatus.RUNNING);
        List<ReceivedMessage> poison = join(engine.receive(dlq, NOW));
        assertThat(poison).extracting(ReceivedMessage::body).containsExactly("poison");
        assertThat(poison.getFirst().deadLetterSourceQueue()).isEqualTo(orders);
    }
}
