package dev.sluice.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that request bodies hold while they are being received, all connections together, and its ceiling. A
 * body takes its share as its buffer grows and gives it back once it is read (or abandoned); a body that would pass
 * the ceiling is refused, so clients that declare large bodies and send them slowly cannot fill the heap.
 */
final class BodyMemory {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    BodyMemory(long max) {
        this.max = max;
    }

    /** Takes {@code bytes} if the total stays within the ceiling; false (and nothing taken) otherwise. */
    boolean take(long bytes) {
        long current;
        do {
            current = held.get();
            if (current + bytes > max) {
                return false;
            }
        } while (!held.compareAndSet(current, current + bytes));
        return true;
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long max() {
        return max;
    }
}
