package dev.sluice.server;

import dev.sluice.auth.Tenant;
import dev.sluice.auth.Tenants;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Quotas;
import dev.sluice.quota.Rate;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** Builds the quota buckets from the configured default and the tenants' own quotas, and keeps them told of changes. */
@ApplicationScoped
public class QuotaProducer {
    private final SluiceConfig config;

    QuotaProducer(SluiceConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    Quotas quotas(Tenants tenants, Queues queues) {
        SluiceConfig.Quota settings = config.quota();
        Quota defaults = new Quota(
                settings.defaultRequestsPerSecond()
                        .map(rate ->
                                Rate.of(rate, settings.defaultRequestBurst().orElse(null))),
                settings.defaultBytesPerSecond()
                        .map(rate -> Rate.of(
                                rate.asLongValue(),
                                settings.defaultBytesBurst()
                                        .map(MemorySize::asLongValue)
                                        .orElse(null))),
                Map.of());
        Quotas quotas = new Quotas(
                defaults,
                settings.fifoThroughput(),
                accountId -> tenants.tenant(accountId).flatMap(Tenant::quota),
                (owner, region, name) -> fifoThroughputLimit(queues, new QueueKey(region, owner, name)));
        tenants.onQuotaChange(quotas::changed);
        tenants.list().forEach(tenant -> quotas.changed(tenant.accountId()));
        return quotas;
    }

    /**
     * The FIFO queue's FifoThroughputLimit, or null if there is no such queue. Read at most once a second per queue
     * ({@code QueueBuckets}); the embedded engine answers at once.
     */
    private static String fifoThroughputLimit(Queues queues, QueueKey queue) {
        try {
            return Optional.ofNullable(queues.describe(queue)
                            .toCompletableFuture()
                            .join()
                            .settings()
                            .values()
                            .get(QueueSettings.FIFO_THROUGHPUT_LIMIT))
                    .orElse("perQueue");
        } catch (CompletionException e) {
            if (e.getCause() instanceof QueueException) {
                return null;
            }
            throw e;
        } catch (QueueException e) {
            return null;
        }
    }
}
