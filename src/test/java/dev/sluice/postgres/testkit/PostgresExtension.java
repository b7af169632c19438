package dev.sluice.postgres.testkit;

import dev.sluice.postgres.SchemaMigrations;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's {@link PostgresCluster} as a parameter ({@code @ExtendWith(PostgresExtension.class)}, then
 * {@code @BeforeAll static void setUp(PostgresCluster cluster)} or a test method parameter). The cluster starts on
 * first use and stops when the test JVM exits.
 */
public final class PostgresExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return PostgresCluster.shared();
    }

    /** A new database on the cluster, migrated by Flyway from the same scripts the server uses. */
    public static String migratedDatabase(PostgresCluster cluster, String prefix) {
        String database = cluster.createDatabase(prefix);
        SchemaMigrations.migrate(cluster.jdbcUrl(database), PostgresCluster.USER, "");
        return database;
    }
}
