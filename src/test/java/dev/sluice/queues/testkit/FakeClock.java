package dev.sluice.queues.testkit;

import dev.sluice.queues.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock that moves only when told, and the {@link Scheduler} that goes with it (Kafka MockTime's idea): advancing
 * the clock runs every task that has come due, in order, so long polls and delays are tested without sleeping.
 */
public final class FakeClock implements InstantSource, Scheduler {
    private record Task(Instant at, long order, Runnable run, boolean[] cancelled) {}

    private Instant now;
    private long order;
    private final List<Task> tasks = new ArrayList<>();
    private Runnable afterTask = () -> {};

    public FakeClock(Instant start) {
        this.now = start;
    }

    public FakeClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Task due;
            synchronized (this) {
                due = tasks.stream()
                        .filter(task -> !task.at().isAfter(target))
                        .min(Comparator.comparing(Task::at).thenComparingLong(Task::order))
                        .orElse(null);
                if (due == null) {
                    now = target;
                    return;
                }
                tasks.remove(due);
                if (due.at().isAfter(now)) {
                    now = due.at();
                }
            }
            if (!due.cancelled()[0]) {
                due.run().run();
                afterTask.run();
            }
        }
    }

    /**
     * Runs {@code settle} after each task an advance runs: a backend whose tasks finish their work a moment later (a
     * commit on a writer thread, which may schedule the next task) waits there for it, so the advance runs what that
     * work scheduled within its span too, and what a test checks next sees it.
     */
    public void afterEachTask(Runnable settle) {
        this.afterTask = settle;
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    /** Tasks not yet run or cancelled. */
    public synchronized long pendingTasks() {
        return tasks.stream().filter(task -> !task.cancelled()[0]).count();
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable run) {
        boolean[] cancelled = {false};
        tasks.add(new Task(at, order++, run, cancelled));
        return () -> cancelled[0] = true;
    }
}
