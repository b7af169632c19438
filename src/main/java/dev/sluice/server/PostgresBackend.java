package dev.sluice.server;

import dev.sluice.postgres.DatabaseClock;
import dev.sluice.postgres.PostgresQueues;
import dev.sluice.postgres.SchemaMigrations;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.Scheduler;
import dev.sluice.queues.rules.Strictness;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL mode's start ({@code sluice.storage=postgres}): the schema migrated (Flyway, serialised across
 * replicas by its advisory lock), the database's clock read, and {@link PostgresQueues} on Quarkus' reactive pool
 * with its control connection. Only touched in that mode, so the other modes load none of it.
 */
final class PostgresBackend {
    private static final Logger LOG = Logger.getLogger(PostgresBackend.class);
    private static final Duration CLOCK_RESYNC = Duration.ofMinutes(1);
    /** How long the control connection's (re)connect may take before it counts as failed and is tried again. */
    private static final Duration CONTROL_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Pool pool;
    private final Vertx vertx;
    private final Config config;

    PostgresBackend(Pool pool, Vertx vertx, Config config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
    }

    private String url() {
        return config.getOptionalValue("quarkus.datasource.reactive.url", String.class)
                .orElseThrow(() -> new ConfigurationException("Sluice cannot start: sluice.storage=postgres needs"
                        + " quarkus.datasource.reactive.url (e.g. postgresql://db:5432/sluice)"));
    }

    private String user() {
        return config.getOptionalValue("quarkus.datasource.username", String.class)
                .orElse(null);
    }

    private String password() {
        return config.getOptionalValue("quarkus.datasource.password", String.class)
                .orElse(null);
    }

    /** Brings the database to the current schema; refuses to start, in one line, when it cannot be reached. */
    void migrate() {
        String url = url();
        try {
            String version = SchemaMigrations.migrate(SchemaMigrations.jdbcUrl(url), user(), password());
            LOG.infof("PostgreSQL schema at version %s (%s)", version, withoutSecrets(url));
        } catch (RuntimeException e) {
            throw new ConfigurationException("Sluice cannot start: migrating the PostgreSQL schema at "
                    + withoutSecrets(url) + " failed: " + e.getMessage());
        }
    }

    /** The database's clock as this replica sees it (every replica agrees on it). */
    InstantSource clock() {
        try {
            return DatabaseClock.start(pool, CLOCK_RESYNC)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ConfigurationException(
                    "Sluice cannot start: reading the PostgreSQL server's clock failed: " + e.getMessage());
        }
    }

    PostgresQueues queues(
            InstantSource clock, Scheduler scheduler, Strictness strictness, String region, int mergeFrom) {
        PgConnectOptions connect = PgConnectOptions.fromUri(url());
        connect.setConnectTimeout((int) CONTROL_CONNECT_TIMEOUT.toMillis());
        if (user() != null) {
            connect.setUser(user());
        }
        if (password() != null) {
            connect.setPassword(password());
        }
        if (mergeFrom < 0) {
            throw new ConfigurationException(
                    "Sluice cannot start: sluice.postgres.merge-from must be 0 (never merge) or more, not "
                            + mergeFrom);
        }
        return new PostgresQueues(pool, clock, scheduler, IdSource.random(), strictness, region, mergeFrom)
                .connect(vertx, pool, connect);
    }

    private static String withoutSecrets(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//[^/@]*@", "//***@");
    }
}
