package dev.sluice.api;

import dev.sluice.engine.QueueKey;

/** Decides whether a caller may run its current action on a queue; throws AccessDenied when not. */
@FunctionalInterface
public interface QueueAccess {
    /** Every caller may use every queue: the {@code open} auth mode. */
    QueueAccess ANY = (caller, queue) -> {};

    void check(Caller caller, QueueKey queue);

    /** Called before any action runs, for account-wide rules such as a tenant's queue limit. */
    default void admit(Caller caller, String action, Params params) {}
}
