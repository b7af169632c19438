package dev.sluice.compat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;

/** {@link SdkV2FifoAndRedriveTest} against the packaged server in its PostgreSQL mode. */
@DisplayName("FIFO and redrive (AWS SDK for Java v2), PostgreSQL mode")
class SdkV2FifoAndRedriveOnPostgresTest extends SdkV2FifoAndRedriveTest implements SluiceServer.Options {
    @Override
    public List<String> serverJvmArgs() {
        return OnPostgres.serverJvmArgs("v2fifo");
    }

    @Override
    protected Set<String> notBuilt() {
        return OnPostgres.NOT_BUILT;
    }
}
