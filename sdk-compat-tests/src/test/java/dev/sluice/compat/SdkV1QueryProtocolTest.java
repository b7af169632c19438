package dev.sluice.compat;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;

/** The suite over the query protocol (form-encoded requests, XML replies), spoken by AWS SDK for Java v1 1.12.500. */
@DisplayName("SQS behaviours over the query protocol (AWS SDK for Java v1)")
class SdkV1QueryProtocolTest extends SqsBehaviourSuite {
    @Override
    protected SqsPort newPort(URI endpoint) {
        return new SdkV1Port(endpoint);
    }
}
