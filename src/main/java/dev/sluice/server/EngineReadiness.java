package dev.sluice.server;

import dev.sluice.postgres.DatabaseProbe;
import dev.sluice.queues.Queues;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the backend exists: the store opened and recovered, or in the PostgreSQL mode the schema migrated at
 * start. In that mode readiness then stays UP while the database is unreachable, and says so in its data ({@code
 * database: unreachable} and why): every replica shares the one database, so an outage would make every pod unready at
 * once, Kubernetes would take them all out of the Service, and clients would get refused connections instead of the
 * {@code ServiceUnavailable} (503) that every AWS SDK retries, which the replicas answer meanwhile and stop answering
 * by themselves when the database is back. (Quarkus' own datasource readiness check, which goes DOWN, is switched off:
 * {@code quarkus.datasource.health.enabled=false}.) Liveness does not look at the database either: a restart would
 * not bring it back, the pool reconnects by itself.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements AsyncHealthCheck {
    static final String NAME = "sluice-engine";
    /** Well within a Kubernetes probe's timeout (the base overlay's 3 s). */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(1);

    private final Queues queues;
    private final Optional<DatabaseProbe> database;

    EngineReadiness(Queues queues, SluiceConfig config, Instance<Pool> pools) {
        this.queues = queues;
        this.database = config.storage() == SluiceConfig.Storage.postgres
                ? Optional.of(new DatabaseProbe(pools.get(), PROBE_BOUND))
                : Optional.empty();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (database.isEmpty()) {
            return Uni.createFrom()
                    .item(HealthCheckResponse.named(NAME).status(queues != null).build());
        }
        return Uni.createFrom().completionStage(database.get().problem()).map(problem -> {
            var response = HealthCheckResponse.named(NAME)
                    .status(queues != null)
                    .withData("database", problem.isEmpty() ? "reachable" : "unreachable");
            problem.ifPresent(reason -> response.withData("reason", reason));
            return response.build();
        });
    }
}
