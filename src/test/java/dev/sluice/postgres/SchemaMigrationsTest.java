package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SchemaMigrationsTest {

    @Test
    void migratingTwiceLeavesTheSchemaAtItsVersion(PostgresCluster cluster) throws SQLException {
        String database = cluster.createDatabase("migrations");
        SchemaMigrations.migrate(cluster.jdbcUrl(database), PostgresCluster.USER, "");

        String version = SchemaMigrations.migrate(cluster.jdbcUrl(database), PostgresCluster.USER, "");

        assertThat(version).isEqualTo("7");
        try (Connection connection = cluster.connect(database);
                ResultSet tables = connection
                        .createStatement()
                        .executeQuery("select count(*) from information_schema.tables where table_schema = 'public'"
                                + " and table_name in ('tenant', 'access_key', 'queue', 'move_task', 'message',"
                                + " 'message_group', 'deduplication', 'receive_attempt', 'fair_queue',"
                                + " 'fair_candidate')")) {
            tables.next();
            assertThat(tables.getInt(1)).isEqualTo(10);
        }
    }

    @Test
    void aQueueNameIsUniquePerAccountAndRegion(PostgresCluster cluster) throws SQLException {
        String database = cluster.createDatabase("regions");
        SchemaMigrations.migrate(cluster.jdbcUrl(database), PostgresCluster.USER, "");
        try (Connection connection = cluster.connect(database)) {
            var statement = connection.createStatement();
            String insert = "insert into queue (account_id, region, name, fifo, attributes, tags, created_at,"
                    + " last_modified_at) values ('000000000000', %s, 'jobs', false, '{}', '{}', 0, 0)";
            statement.executeUpdate(insert.formatted("null"));
            statement.executeUpdate(insert.formatted("'eu-west-1'"));
            statement.executeUpdate(insert.formatted("'us-west-2'"));
            assertThatThrownBy(() -> statement.executeUpdate(insert.formatted("'eu-west-1'")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("queue_by_name");
            assertThatThrownBy(() -> statement.executeUpdate(insert.formatted("null")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("queue_by_name");
        }
    }

    @Test
    void theJdbcUrlIsTheReactiveOnesDatabase() {
        assertThat(SchemaMigrations.jdbcUrl("postgresql://db.internal:5433/sluice?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.internal:5433/sluice?sslmode=require");
        assertThat(SchemaMigrations.jdbcUrl("postgres://h/d")).isEqualTo("jdbc:postgresql://h/d");
        assertThatThrownBy(() -> SchemaMigrations.jdbcUrl("mysql://h/d")).isInstanceOf(IllegalArgumentException.class);
    }
}
