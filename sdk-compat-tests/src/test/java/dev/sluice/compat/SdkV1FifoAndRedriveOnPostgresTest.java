package dev.sluice.compat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;

/** {@link SdkV1FifoAndRedriveTest} against the packaged server in its PostgreSQL mode. */
@DisplayName("FIFO and redrive (AWS SDK for Java v1), PostgreSQL mode")
class SdkV1FifoAndRedriveOnPostgresTest extends SdkV1FifoAndRedriveTest implements SluiceServer.Options {
    @Override
    public List<String> serverJvmArgs() {
        return OnPostgres.serverJvmArgs("v1fifo");
    }

    @Override
    protected Set<String> notBuilt() {
        return OnPostgres.NOT_BUILT;
    }
}
