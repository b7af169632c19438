package dev.sluice.api;

import dev.sluice.engine.QueueKey;

/** Decides whether a caller may run its current action on a queue; throws AccessDenied when not. */
@FunctionalInterface
public interface QueueAccess {
    /** Every caller may use every queue: the {@code open} auth mode. */
    QueueAccess ANY = (caller, queue) -> {};

    void check(Caller caller, QueueKey queue);

    /** Called before any action runs, for account-wide rules. */
    default void admit(Caller caller, String action, Params params) {}

    /** The most queues the account may own. */
    default int maxQueues(String accountId) {
        return Integer.MAX_VALUE;
    }

    /** The most messages the account's queues may hold together, whoever sends them. */
    default long maxMessages(String accountId) {
        return Long.MAX_VALUE;
    }
}
