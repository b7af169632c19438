package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.ExecutorScheduler;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import dev.sluice.store.journal.JournalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written before tenants had quotas (src/test/resources/fixtures/journal-2db37f0, tenant records of format
 * 1) opens as it was, and a quota set on it survives the next restart next to the old records.
 */
class OldJournalTest {
    @TempDir
    Path dir;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private JournalStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        timers.shutdownNow();
    }

    private void copyFixture() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/journal-2db37f0/0000000001.journal")) {
            Files.copy(in, dir.resolve("0000000001.journal"));
        }
    }

    private QueueEngine open() {
        if (store != null) {
            store.close();
        }
        store = new JournalStore(dir, JournalStore.Durability.FSYNC, Duration.ofMillis(50));
        InstantSource clock = InstantSource.system();
        return new QueueEngine(
                store, clock, new ExecutorScheduler(clock, timers), IdSource.random(), Strictness.LENIENT);
    }

    @Test
    void anOldJournalOpensAsItWasAndTakesAQuota() throws Exception {
        copyFixture();
        QueueEngine engine = open();
        Tenants tenants = new Tenants(store, InstantSource.system());
        assertOldData(engine, tenants);
        assertThat(tenants.tenant("111111111111").orElseThrow().quota()).isEmpty();

        Quota quota = new Quota(
                Optional.of(new Rate(50, 100)),
                Optional.of(new Rate(1_000_000, 2_000_000)),
                Map.of("orders", new Rate(5, 5)));
        tenants.setQuota("111111111111", Optional.of(quota))
                .toCompletableFuture()
                .get();

        engine = open();
        tenants = new Tenants(store, InstantSource.system());
        assertThat(tenants.tenant("111111111111").orElseThrow().quota()).contains(quota);
        assertThat(tenants.tenant("222222222222").orElseThrow().quota()).isEmpty();
        assertOldData(engine, tenants);

        tenants.setQuota("111111111111", Optional.empty()).toCompletableFuture().get();
        open();
        assertThat(new Tenants(store, InstantSource.system())
                        .tenant("111111111111")
                        .orElseThrow()
                        .quota())
                .isEmpty();
    }

    private static void assertOldData(QueueEngine engine, Tenants tenants) throws Exception {
        Tenant a = tenants.tenant("111111111111").orElseThrow();
        assertThat(a.name()).isEqualTo("team a");
        assertThat(a.maxQueues()).contains(5);
        assertThat(a.maxMessages()).contains(1000L);
        assertThat(tenants.find("AKIDTENANTA").orElseThrow().secret()).isEqualTo("tenant-a-secret");
        assertThat(tenants.find("AKIDTENANTB").orElseThrow().accountId()).isEqualTo("222222222222");
        QueueKey orders = new QueueKey("us-east-1", "111111111111", "orders");
        assertThat(engine.describe(orders)
                        .toCompletableFuture()
                        .join()
                        .settings()
                        .values())
                .containsEntry("VisibilityTimeout", "45");
        assertThat(engine.describe(orders).toCompletableFuture().join().tags()).containsEntry("team", "a");
        assertThat(engine.describe(orders).toCompletableFuture().join().visible())
                .isEqualTo(2);
        assertThat(engine.describe(new QueueKey("us-east-1", "222222222222", "events.fifo"))
                        .toCompletableFuture()
                        .join()
                        .visible())
                .isEqualTo(1);
        List<ReceivedMessage> peeked = engine.receive(
                        orders, new ReceiveOptions(10, Optional.of(Duration.ZERO), Optional.of(Duration.ZERO)))
                .toCompletableFuture()
                .get();
        assertThat(peeked).extracting(m -> m.body()).containsExactlyInAnyOrder("first order", "second order");
    }
}
