package dev.sluice.server;

import dev.sluice.engine.QueueEngine;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the engine exists, that is once the store has been opened and recovered. */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {
    private final QueueEngine engine;

    EngineReadiness(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sluice-engine").status(engine != null).build();
    }
}
