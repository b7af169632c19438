package dev.sluice.server;

import dev.sluice.auth.Tenant;
import dev.sluice.auth.Tenants;
import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueException;
import dev.sluice.engine.QueueKey;
import dev.sluice.engine.QueueSettings;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Quotas;
import dev.sluice.quota.Rate;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/** Builds the quota buckets from the configured default and the tenants' own quotas, and keeps them told of changes. */
@ApplicationScoped
public class QuotaProducer {
    private final SluiceConfig config;

    QuotaProducer(SluiceConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    Quotas quotas(Tenants tenants, QueueEngine engine) {
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
                (owner, name) -> fifoThroughputLimit(engine, owner, name));
        tenants.onQuotaChange(quotas::changed);
        tenants.list().forEach(tenant -> quotas.changed(tenant.accountId()));
        return quotas;
    }

    private static String fifoThroughputLimit(QueueEngine engine, String owner, String name) {
        try {
            return Optional.ofNullable(engine.queue(new QueueKey(owner, name))
                            .settings()
                            .values()
                            .get(QueueSettings.FIFO_THROUGHPUT_LIMIT))
                    .orElse("perQueue");
        } catch (QueueException e) {
            return null;
        }
    }
}
