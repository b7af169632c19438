package dev.sluice.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the current schema: the Flyway scripts under {@code db/migration}, applied in version order and
 * recorded in {@code flyway_schema_history}. Flyway serialises concurrent migrations with a PostgreSQL advisory
 * lock, so replicas starting together migrate once. Flyway is used as a plain library over a JDBC connection of its
 * own (no pooled JDBC datasource), so its classes load only in the PostgreSQL mode.
 */
public final class SchemaMigrations {
    public static final String LOCATION = "classpath:db/migration";

    private SchemaMigrations() {}

    /** Migrates the database at {@code jdbcUrl}; returns the schema version it is at afterwards. */
    public static String migrate(String jdbcUrl, String user, String password) {
        MigrateResult result = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                .load()
                .migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    /** The JDBC URL of the database a reactive URL ({@code postgresql://host:port/db?…}) names. */
    public static String jdbcUrl(String reactiveUrl) {
        String url = reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring(15) : reactiveUrl;
        if (url.startsWith("postgres://")) {
            url = "postgresql://" + url.substring(11);
        }
        if (!url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + reactiveUrl);
        }
        return "jdbc:" + url;
    }
}
