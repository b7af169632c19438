package dev.sluice.compat;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;

/** FIFO, dead-letter and move-task behaviours over AWS JSON 1.0 (AWS SDK for Java v2). */
@DisplayName("FIFO, dead-letter queues and move tasks over AWS JSON 1.0 (AWS SDK for Java v2)")
class SdkV2FifoAndRedriveTest extends FifoAndRedriveSuite {
    @Override
    protected SqsPort newPort(URI endpoint) {
        return new SdkV2Port(endpoint);
    }
}
