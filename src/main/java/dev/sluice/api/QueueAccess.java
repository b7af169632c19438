package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a caller may run its current action on a queue: the stage fails with AccessDenied when not.
 * Asynchronous because a decision may need the queue's policy from the backend; a decision taken at once returns
 * {@link #ALLOWED}, which callers recognise and skip.
 */
@FunctionalInterface
public interface QueueAccess {
    /** Allowed, decided without waiting for anything. */
    CompletionStage<Void> ALLOWED = CompletableFuture.completedStage(null);

    /** Every caller may use every queue: the {@code open} auth mode. */
    QueueAccess ANY = (caller, queue) -> ALLOWED;

    CompletionStage<Void> check(Caller caller, QueueKey queue);

    /** Called before any action runs, for account-wide rules such as a tenant's queue limit. */
    default CompletionStage<Void> admit(Caller caller, String action, Params params) {
        return ALLOWED;
    }
}
