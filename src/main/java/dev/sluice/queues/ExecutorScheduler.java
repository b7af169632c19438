package dev.sluice.queues;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The production {@link Scheduler}: real timers on one small executor. */
public final class ExecutorScheduler implements Scheduler {
    private final InstantSource clock;
    private final ScheduledExecutorService executor;

    public ExecutorScheduler(InstantSource clock, ScheduledExecutorService executor) {
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public Cancellable schedule(Instant at, Runnable task) {
        long delayMicros = Math.max(0, Duration.between(clock.instant(), at).toNanos() / 1000);
        ScheduledFuture<?> future = executor.schedule(task, delayMicros, TimeUnit.MICROSECONDS);
        return () -> future.cancel(false);
    }
}
