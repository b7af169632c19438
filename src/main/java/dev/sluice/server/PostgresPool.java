package dev.sluice.server;

import dev.sluice.postgres.StatementCache;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The reactive pool of PostgreSQL mode as Quarkus configures it ({@code quarkus.datasource.*}), with one setting
 * Quarkus has no property for: statements up to {@link StatementCache#SQL_LIMIT} characters are cached per
 * connection (Vert.x's default is 2,048, shorter than the fair claim). Quarkus calls it only when the reactive
 * datasource is active, so the other modes never do.
 */
@Singleton
final class PostgresPool implements PgPoolCreator {
    @Override
    @SuppressWarnings("deprecation") // Quarkus' recorder expects a PgPool, which PgBuilder does not declare
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setPreparedStatementCacheSqlLimit(StatementCache.SQL_LIMIT);
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
