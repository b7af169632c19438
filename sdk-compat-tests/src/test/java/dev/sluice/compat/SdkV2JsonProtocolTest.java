package dev.sluice.compat;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;

/** The suite over AWS JSON 1.0, spoken by AWS SDK for Java v2 2.59.1. */
@DisplayName("SQS behaviours over AWS JSON 1.0 (AWS SDK for Java v2)")
class SdkV2JsonProtocolTest extends SqsBehaviourSuite {
    @Override
    protected SqsPort newPort(URI endpoint) {
        return new SdkV2Port(endpoint);
    }
}
