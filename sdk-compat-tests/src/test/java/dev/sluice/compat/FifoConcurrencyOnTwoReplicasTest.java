package dev.sluice.compat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link FifoConcurrencyTest} on two packaged servers in PostgreSQL mode on one database: half the consumers on each
 * replica, and every batch sent through both (the second copy must be deduplicated across replicas). Groups are still
 * never shared between consumers, each group is received in order, and every message exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("FIFO consumers on two replicas (PostgreSQL mode): groups never shared, in order, deduplicated")
class FifoConcurrencyOnTwoReplicasTest extends FifoConcurrencyTest implements SluiceServer.Options {
    private List<String> options;
    private SluiceProcess second;

    @Override
    public List<String> serverJvmArgs() {
        if (options == null) {
            options = OnPostgres.serverJvmArgs("fifo_two_replicas");
        }
        return options;
    }

    @Override
    protected List<URI> replicas(URI endpoint) {
        if (second == null) {
            second = SluiceServer.startOwn("FifoConcurrencyOnTwoReplicasTest-b", serverJvmArgs());
        }
        return List.of(endpoint, second.endpoint());
    }

    @AfterAll
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }
}
