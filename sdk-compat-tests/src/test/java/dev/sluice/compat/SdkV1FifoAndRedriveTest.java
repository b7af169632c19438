package dev.sluice.compat;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;

/** FIFO, dead-letter and move-task behaviours over the query protocol (AWS SDK for Java v1). */
@DisplayName("FIFO, dead-letter queues and move tasks over the query protocol (AWS SDK for Java v1)")
class SdkV1FifoAndRedriveTest extends FifoAndRedriveSuite {
    @Override
    protected SqsPort newPort(URI endpoint) {
        return new SdkV1Port(endpoint);
    }
}
