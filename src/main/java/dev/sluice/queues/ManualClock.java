package dev.sluice.queues;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's clock and scheduler for {@code sluice.clock=manual}: time stands still until {@link #advance} moves it,
 * so a user's test sees a visibility timeout, a delay or a long poll's deadline pass in milliseconds.
 *
 * <p>Advancing runs every task that comes due on the way, in the order they are due, each with the clock set to its
 * time (Kafka MockTime's idea), one after the other on the executor that runs timers, and returns once they have run.
 * A task scheduled for a time already reached is handed to the executor at once, as a real timer of zero delay would
 * be: never run on the scheduling thread, which may hold a queue's lock.
 */
public final class ManualClock implements InstantSource, Scheduler {
    private record Task(Instant at, long order, Runnable run, AtomicBoolean cancelled) {
        void runUnlessCancelled() {
            if (!cancelled.get()) {
                run.run();
            }
        }
    }

    private final Executor executor;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> {
        int byTime = a.at().compareTo(b.at());
        return byTime != 0 ? byTime : Long.compare(a.order(), b.order());
    });
    /** Serializes advances: each one runs its due tasks before the next moves time further. */
    private final Object advancing = new Object();

    private volatile Instant now;
    private long order;

    public ManualClock(Instant start, Executor executor) {
        this.now = start;
        this.executor = executor;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable run) {
        Task task = new Task(at, order++, run, new AtomicBoolean());
        if (at.isAfter(now)) {
            tasks.add(task);
        } else {
            executor.execute(task::runUnlessCancelled);
        }
        return () -> cancel(task);
    }

    private synchronized void cancel(Task task) {
        task.cancelled().set(true);
        tasks.remove(task);
    }

    /** Moves the clock forward, running what comes due on the way; returns the new time. */
    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        synchronized (advancing) {
            Instant target;
            synchronized (this) {
                target = now.plus(duration);
            }
            while (true) {
                Task due;
                synchronized (this) {
                    due = tasks.peek();
                    if (due == null || due.at().isAfter(target)) {
                        now = target;
                        return target;
                    }
                    tasks.poll();
                    if (due.at().isAfter(now)) {
                        now = due.at();
                    }
                }
                runAndWait(due);
            }
        }
    }

    private void runAndWait(Task task) {
        try {
            CompletableFuture.runAsync(task::runUnlessCancelled, executor).join();
        } catch (CompletionException e) {
            // A failing timer task fails alone, as on a real timer; the clock moves on.
        }
    }

    /** Tasks waiting for a time not yet reached (for tests and the admin API's view of the clock). */
    public synchronized int pendingTasks() {
        return tasks.size();
    }
}
