package dev.sluice.engine;

import dev.sluice.queues.ReceivedMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A long-polling receive parked on its queue until messages arrive or its wait time ends. */
record Waiter(
        int maxNumberOfMessages,
        long visibilityTimeoutMillis,
        long deadlineMillis,
        CompletableFuture<List<ReceivedMessage>> result) {}
