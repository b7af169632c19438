package dev.sluice.queues.contract;

import dev.sluice.queues.NewMessage;
import dev.sluice.queues.ReceiveOptions;
import dev.sluice.queues.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shorthand for FIFO and fair-queue sends and receives, on top of {@link QueuesFixture}. */
public final class FifoFixture {
    public static final Map<String, String> FIFO = Map.of("FifoQueue", "true");
    public static final Map<String, String> CONTENT_BASED =
            Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true");

    private FifoFixture() {}

    /** A message of a group, deduplicated by its body (the queue must use content-based deduplication). */
    public static NewMessage grouped(String body, String group) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "sender", group, null);
    }

    /** A message of a group with an explicit MessageDeduplicationId. */
    public static NewMessage grouped(String body, String group, String deduplicationId) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), "sender", group, deduplicationId);
    }

    public static List<String> bodies(List<ReceivedMessage> received) {
        return received.stream().map(r -> r.body()).toList();
    }

    public static ReceiveOptions attempt(int max, String receiveRequestAttemptId) {
        return new ReceiveOptions(max, Optional.empty(), Optional.of(Duration.ZERO), receiveRequestAttemptId);
    }
}
