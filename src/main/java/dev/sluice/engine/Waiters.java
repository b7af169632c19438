package dev.sluice.engine;

import dev.sluice.queues.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The long polls parked on one queue, first come first served, and the timer that next wakes them. Held by its queue
 * and driven by {@link LongPolls}; all access holds the queue's monitor.
 */
final class Waiters {
    private final ArrayDeque<Waiter> parked = new ArrayDeque<>();
    private Scheduler.Cancellable wake;
    private long wakeAtMillis = Long.MAX_VALUE;

    boolean isEmpty() {
        return parked.isEmpty();
    }

    void park(Waiter waiter) {
        parked.add(waiter);
    }

    /** The longest-waiting receive not answered yet, taken out; null if there is none. */
    Waiter next() {
        Waiter waiter;
        do {
            waiter = parked.poll();
        } while (waiter != null && waiter.result().isDone());
        return waiter;
    }

    /** Puts a receive taken with {@link #next} back at the front: it got nothing and keeps its place. */
    void putBack(Waiter waiter) {
        parked.addFirst(waiter);
    }

    /**
     * Takes out the receives whose wait is over at {@code nowMillis} (or that were answered otherwise) and returns
     * them; {@link #earliestDeadline} is then the next one's.
     */
    List<Waiter> takeTimedOut(long nowMillis) {
        List<Waiter> timedOut = new ArrayList<>(0);
        for (Iterator<Waiter> it = parked.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.deadlineMillis() <= nowMillis || waiter.result().isDone()) {
                it.remove();
                timedOut.add(waiter);
            }
        }
        return timedOut;
    }

    long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Waiter waiter : parked) {
            earliest = Math.min(earliest, waiter.deadlineMillis());
        }
        return earliest;
    }

    /** Every parked receive, taken out, with the timer called off (the queue is deleted). */
    List<Waiter> takeAll() {
        List<Waiter> all = new ArrayList<>(parked);
        parked.clear();
        cancelWake();
        return all;
    }

    /** Whether a wake-up at or before {@code atMillis} is already set. */
    boolean wakesBy(long atMillis) {
        return atMillis >= wakeAtMillis;
    }

    void wakeAt(long atMillis, Scheduler.Cancellable timer) {
        cancelWake();
        wakeAtMillis = atMillis;
        wake = timer;
    }

    /** The timer went off. */
    void woken() {
        wake = null;
        wakeAtMillis = Long.MAX_VALUE;
    }

    private void cancelWake() {
        if (wake != null) {
            wake.cancel();
            woken();
        }
    }
}
