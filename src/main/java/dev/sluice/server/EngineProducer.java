package dev.sluice.server;

import dev.sluice.api.SqsApi;
import dev.sluice.engine.ExecutorScheduler;
import dev.sluice.engine.IdSource;
import dev.sluice.engine.QueueEngine;
import dev.sluice.protocol.SqsEndpoint;
import dev.sluice.store.Store;
import dev.sluice.store.mapdb.MapDbStore;
import dev.sluice.store.memory.InMemoryStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/** Builds the store the configuration picks, the engine on it, and the endpoint; closes the store at shutdown. */
@ApplicationScoped
public class EngineProducer {
    private static final Logger LOG = Logger.getLogger(EngineProducer.class);

    private final SluiceConfig config;
    private Store store;
    private ScheduledExecutorService timers;

    EngineProducer(SluiceConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    Store store() {
        store = switch (config.durability()) {
            case memory -> new InMemoryStore();
            case fsync ->
                new MapDbStore(Path.of(config.dataDir()), MapDbStore.Durability.FSYNC, config.batchInterval());
            case batched ->
                new MapDbStore(Path.of(config.dataDir()), MapDbStore.Durability.BATCHED, config.batchInterval());
        };
        LOG.infof(
                "Sluice store: durability=%s data-dir=%s",
                config.durability(), Path.of(config.dataDir()).toAbsolutePath());
        return store;
    }

    @Produces
    @Singleton
    QueueEngine engine(Store store) {
        timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-timers").daemon().factory());
        InstantSource clock = InstantSource.system();
        return new QueueEngine(store, clock, new ExecutorScheduler(clock, timers), IdSource.random(), config.strict());
    }

    @Produces
    @Singleton
    SqsEndpoint endpoint(QueueEngine engine) {
        return new SqsEndpoint(new SqsApi(engine));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (store != null) {
            store.close();
            LOG.info("Sluice store closed");
        }
    }
}
