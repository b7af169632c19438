package dev.sluice.compat;

import dev.sluice.postgres.testkit.PostgresCluster;
import java.util.List;
import java.util.Set;

/**
 * The packaged server in its PostgreSQL mode ({@code sluice.storage=postgres}) on a fresh, empty database of this
 * test JVM's own PostgreSQL ({@link PostgresCluster}: initdb and pg_ctl, no Docker); the server migrates it at start.
 * The suites' {@code …OnPostgresTest} subclasses return these options, so the same tests run against both backends.
 */
final class OnPostgres {
    /** The FIFO suite's features the PostgreSQL mode has not built yet (README, PostgreSQL mode). */
    static final Set<String> NOT_BUILT =
            Set.of(FifoAndRedriveSuite.MOVE_TASKS, FifoAndRedriveSuite.RECEIVE_ATTEMPT_IDS);

    private OnPostgres() {}

    static List<String> serverJvmArgs(String databasePrefix) {
        PostgresCluster cluster = PostgresCluster.shared();
        return serverJvmArgs(cluster, cluster.createDatabase(databasePrefix));
    }

    /** The options of a server on {@code database} of {@code cluster} (several servers on one: its replicas). */
    static List<String> serverJvmArgs(PostgresCluster cluster, String database) {
        return List.of(
                "-Dsluice.storage=postgres",
                "-Dquarkus.datasource.reactive.url=" + cluster.reactiveUrl(database),
                "-Dquarkus.datasource.username=" + PostgresCluster.USER);
    }
}
