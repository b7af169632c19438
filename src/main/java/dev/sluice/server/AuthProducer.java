package dev.sluice.server;

import dev.sluice.api.TenantAccess;
import dev.sluice.api.TenantQueues;
import dev.sluice.auth.SigV4Verifier;
import dev.sluice.auth.TenantStorage;
import dev.sluice.auth.Tenants;
import dev.sluice.queues.Queues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Builds the tenant registry on its storage, declares the configured tenants, and the SigV4 verifier over it. */
@ApplicationScoped
public class AuthProducer {
    private static final Logger LOG = Logger.getLogger(AuthProducer.class);

    private final SluiceConfig config;

    AuthProducer(SluiceConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    Tenants tenants(TenantStorage storage, Queues queues) throws Exception {
        Tenants tenants = new Tenants(storage, InstantSource.system(), new TenantQueues(queues));
        for (String entry : config.tenants().orElse(List.of())) {
            String[] parts = entry.strip().split(":", 3);
            if (parts.length != 3) {
                // The entry holds a secret: name only its position.
                throw new IllegalArgumentException("sluice.tenants: entry "
                        + (config.tenants().get().indexOf(entry) + 1) + " is not accountId:accessKeyId:secret");
            }
            tenants.declare(parts[0], parts[1], parts[2]).toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.infof("Declared tenant %s with access key %s", parts[0], parts[1]);
        }
        return tenants;
    }

    @Produces
    @Singleton
    TenantAccess tenantAccess(Queues queues, EngineClock clock, Tenants tenants) {
        return new TenantAccess(queues, clock.source(), tenants, config.auth().defaultMaxQueues());
    }

    @Produces
    @Singleton
    SigV4Verifier verifier(Tenants tenants) {
        return new SigV4Verifier(
                tenants, InstantSource.system(), "sqs", config.auth().allowSecurityToken());
    }
}
