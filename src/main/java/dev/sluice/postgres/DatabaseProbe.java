package dev.sluice.postgres;

import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Whether PostgreSQL answers right now, for the health endpoints: {@code select 1} on the pool, bounded. Never a
 * reason to leave a Service (see {@code server.EngineReadiness}): only what the replica reports about its database.
 */
public final class DatabaseProbe {
    private final Pool pool;
    private final Duration bound;

    public DatabaseProbe(Pool pool, Duration bound) {
        this.pool = pool;
        this.bound = bound;
    }

    /** Empty when the database answered within the bound, else why not (as {@link DatabaseOutage} names it). */
    public CompletionStage<Optional<String>> problem() {
        return pool.query("select 1")
                .execute()
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS)
                .handle((rows, failure) -> failure == null
                        ? Optional.<String>empty()
                        : Optional.of(
                                String.valueOf(DatabaseOutage.explain(failure).getMessage())));
    }
}
