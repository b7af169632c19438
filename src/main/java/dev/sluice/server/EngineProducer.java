package dev.sluice.server;

import dev.sluice.api.SqsApi;
import dev.sluice.auth.RegionName;
import dev.sluice.auth.StoredTenants;
import dev.sluice.auth.TenantStorage;
import dev.sluice.engine.PagingPolicy;
import dev.sluice.engine.QueueEngine;
import dev.sluice.postgres.GuardedQueues;
import dev.sluice.postgres.PostgresQueues;
import dev.sluice.protocol.SqsEndpoint;
import dev.sluice.queues.ExecutorScheduler;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.ManualClock;
import dev.sluice.queues.QueueStatistics;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.quota.Quotas;
import dev.sluice.store.DataDirectoryException;
import dev.sluice.store.Store;
import dev.sluice.store.journal.JournalStore;
import dev.sluice.store.mapdb.MapDbStore;
import dev.sluice.store.memory.InMemoryStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Builds the {@link Queues} backend the configuration picks — the embedded engine on the store it picks, or, with
 * {@code sluice.storage=postgres}, {@link PostgresQueues} (the store then keeps only tenants and keys) — and the
 * endpoint; closes them at shutdown.
 */
@ApplicationScoped
public class EngineProducer {
    private static final Logger LOG = Logger.getLogger(EngineProducer.class);

    private final SluiceConfig config;
    private final Instance<Pool> pools;
    private final Instance<Vertx> vertx;
    private Store store;
    private ScheduledExecutorService timers;
    private PostgresBackend postgres;
    private PostgresQueues postgresQueues;

    EngineProducer(SluiceConfig config, Instance<Pool> pools, Instance<Vertx> vertx) {
        this.config = config;
        this.pools = pools;
        this.vertx = vertx;
    }

    @Produces
    @Singleton
    Store store() {
        try {
            return openStore();
        } catch (DataDirectoryException e) {
            // Quarkus reports a ConfigurationException that fails the start as its message alone: one line, no trace.
            throw new ConfigurationException("Sluice cannot start: " + e.getMessage());
        }
    }

    private Store openStore() {
        Path dataDir = Path.of(config.dataDir());
        boolean fsync = config.durability() == SluiceConfig.Durability.fsync;
        store = switch (config.durability()) {
            case memory -> config.memory().pageInMemory() ? InMemoryStore.paging() : new InMemoryStore();
            case fsync, batched ->
                switch (config.storage()) {
                    case journal -> {
                        refuseUnreadMapDbFile(dataDir);
                        yield new JournalStore(
                                dataDir,
                                fsync ? JournalStore.Durability.FSYNC : JournalStore.Durability.BATCHED,
                                config.batchInterval(),
                                config.journal().segmentBytes().asLongValue(),
                                config.journal().checkpointBytes().asLongValue());
                    }
                    // Queues, tenants and keys live in PostgreSQL (tenantStorage below): the replica keeps nothing
                    // of its own, so it needs no data directory.
                    case postgres -> new InMemoryStore();
                    case mapdb ->
                        new MapDbStore(
                                dataDir,
                                fsync ? MapDbStore.Durability.FSYNC : MapDbStore.Durability.BATCHED,
                                config.batchInterval());
                };
        };
        LOG.infof(
                "Sluice %s: storage=%s durability=%s data-dir=%s",
                SluiceMain.version(),
                config.durability() == SluiceConfig.Durability.memory ? "memory" : config.storage(),
                config.durability(),
                dataDir.toAbsolutePath());
        return store;
    }

    /**
     * A data directory written by the MapDB store holds queues the journal would not see; starting on it with the
     * journal would look like data loss, so it is refused with the setting that reads it.
     */
    private static void refuseUnreadMapDbFile(Path dataDir) {
        if (Files.exists(dataDir.resolve(MapDbStore.FILE_NAME))) {
            throw new DataDirectoryException(dataDir.toAbsolutePath() + " holds a MapDB store ("
                    + MapDbStore.FILE_NAME + "); start with sluice.storage=mapdb to use it, or choose another"
                    + " sluice.data-dir for the journal");
        }
    }

    /** The PostgreSQL mode's pieces, made on first use (only in that mode). */
    private PostgresBackend postgres() {
        if (postgres == null) {
            postgres = new PostgresBackend(pools.get(), vertx.get(), ConfigProvider.getConfig());
        }
        return postgres;
    }

    private boolean postgresMode() {
        return config.storage() == SluiceConfig.Storage.postgres
                && config.durability() != SluiceConfig.Durability.memory;
    }

    @Produces
    @Singleton
    EngineClock clock() {
        timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-timers").daemon().factory());
        if (postgresMode() && config.clock() != SluiceConfig.ClockMode.manual) {
            InstantSource database = postgres().clock();
            return new EngineClock(database, new ExecutorScheduler(database, timers), Optional.empty());
        }
        if (config.clock() == SluiceConfig.ClockMode.manual) {
            ManualClock manual = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS), timers);
            LOG.warnf(
                    "sluice.clock=manual: the engine's clock stands at %s and moves only through POST"
                            + " /admin/clock/advance (for tests, never for real traffic)",
                    manual.instant());
            return new EngineClock(manual, manual, Optional.of(manual));
        }
        InstantSource system = InstantSource.system();
        return new EngineClock(system, new ExecutorScheduler(system, timers), Optional.empty());
    }

    @Produces
    @Singleton
    Queues queues(Store store, EngineClock clock) {
        if (!RegionName.isRegion(config.region())) {
            throw new ConfigurationException("Sluice cannot start: sluice.region " + config.region()
                    + " is not a region name (like us-east-1 or eu-west-2)");
        }
        Strictness strictness = config.strict() ? Strictness.STRICT : Strictness.LENIENT;
        if (postgresMode()) {
            postgres().migrate();
            postgresQueues = postgres()
                    .queues(
                            clock.source(),
                            clock.scheduler(),
                            strictness,
                            config.region(),
                            config.postgres().mergeFrom());
            LOG.info("Sluice queues in PostgreSQL (sluice.storage=postgres)");
            return new GuardedQueues(postgresQueues);
        }
        try {
            return new QueueEngine(
                    store, clock.source(), clock.scheduler(), IdSource.random(), strictness, config.region(), paging());
        } catch (QueueEngine.StoredQueuesClash e) {
            throw new ConfigurationException("Sluice cannot start: " + e.getMessage());
        }
    }

    /** Where the tenants and keys are: PostgreSQL in its mode (shared by the replicas), else the store. */
    @Produces
    @Singleton
    TenantStorage tenantStorage(Store store, Queues queues) {
        // queues (produced first: it is a parameter) is then the GuardedQueues around postgresQueues.
        return postgresQueues != null ? postgresQueues.tenants(pools.get()) : new StoredTenants(store);
    }

    /** The memory budget and the paging marks ({@code sluice.memory.*}), defaults derived from the heap. */
    private PagingPolicy paging() {
        SluiceConfig.Memory memory = config.memory();
        long max = memory.maxIndex()
                .map(MemorySize::asLongValue)
                .orElse(Runtime.getRuntime().maxMemory() / 2);
        PagingPolicy defaults = PagingPolicy.of(max);
        long high = memory.pageHighWater().map(MemorySize::asLongValue).orElse(defaults.highWaterBytes());
        long low = memory.pageLowWater().map(MemorySize::asLongValue).orElse(high / 4 * 3);
        try {
            return new PagingPolicy(max, high, low, memory.pageSize(), memory.window());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Sluice cannot start: sluice.memory: " + e.getMessage());
        }
    }

    /**
     * The counts /q/metrics shows per queue ({@link QueueMetrics}): the embedded engine's, or in the PostgreSQL mode
     * the database's (with this replica's own counters).
     */
    @Produces
    @Singleton
    QueueStatistics statistics(Queues queues) {
        if (postgresQueues != null) {
            return postgresQueues.statistics();
        }
        return queues instanceof QueueEngine engine ? engine.statistics() : List::of;
    }

    @Produces
    @Singleton
    SqsApi api(Queues queues) {
        return new SqsApi(queues);
    }

    @Produces
    @Singleton
    SqsEndpoint endpoint(SqsApi api, Quotas quotas, ThrottledRequests throttled) {
        return new SqsEndpoint(api, new QueueAdmission(quotas, throttled));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (postgresQueues != null) {
            postgresQueues.close();
        }
        if (store != null) {
            store.close();
            LOG.info("Sluice store closed");
        }
    }
}
