package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a caller may run its current action on a queue (the stage fails with AccessDenied when not), and the
 * limits of an account's queues. Asynchronous because a decision may need the queue's policy from the backend; a
 * decision taken at once returns {@link #ALLOWED}, which callers recognise and skip.
 */
@FunctionalInterface
public interface QueueAccess {
    /** Allowed, decided without waiting for anything. */
    CompletionStage<Void> ALLOWED = CompletableFuture.completedStage(null);

    /** Every caller may use every queue: the {@code open} auth mode. */
    QueueAccess ANY = (caller, queue) -> ALLOWED;

    CompletionStage<Void> check(Caller caller, QueueKey queue);

    /** The most queues the account may own. */
    default int maxQueues(String accountId) {
        return Integer.MAX_VALUE;
    }

    /** The most messages the account's queues may hold together, whoever sends them. */
    default long maxMessages(String accountId) {
        return Long.MAX_VALUE;
    }
}
