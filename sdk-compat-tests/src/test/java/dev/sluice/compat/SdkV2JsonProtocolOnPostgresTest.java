package dev.sluice.compat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;

/** {@link SdkV2JsonProtocolTest} against the packaged server in its PostgreSQL mode. */
@DisplayName("SQS behaviours over AWS JSON 1.0 (AWS SDK for Java v2), PostgreSQL mode")
class SdkV2JsonProtocolOnPostgresTest extends SdkV2JsonProtocolTest implements SluiceServer.Options {
    @Override
    public List<String> serverJvmArgs() {
        return OnPostgres.serverJvmArgs("v2json");
    }
}
