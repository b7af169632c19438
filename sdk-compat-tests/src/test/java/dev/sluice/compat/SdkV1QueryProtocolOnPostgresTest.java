package dev.sluice.compat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;

/** {@link SdkV1QueryProtocolTest} against the packaged server in its PostgreSQL mode. */
@DisplayName("SQS behaviours over the query protocol (AWS SDK for Java v1), PostgreSQL mode")
class SdkV1QueryProtocolOnPostgresTest extends SdkV1QueryProtocolTest implements SluiceServer.Options {
    @Override
    public List<String> serverJvmArgs() {
        return OnPostgres.serverJvmArgs("v1query");
    }
}
