package dev.sluice.queues;

import java.time.Instant;

/**
 * Runs a task at an instant of a backend's clock. The server's implementation uses real timers; tests use one that
 * runs due tasks when a fake clock moves, so a 20-second long poll is tested without waiting.
 */
public interface Scheduler {

    Cancellable schedule(Instant at, Runnable task);

    /** A scheduled task that may be called off. */
    interface Cancellable {
        void cancel();
    }
}
