package dev.sluice.server;

import dev.sluice.queues.Queues;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the engine exists, that is once the store has been opened and recovered. */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {
    private final Queues queues;

    EngineReadiness(Queues queues) {
        this.queues = queues;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sluice-engine").status(queues != null).build();
    }
}
