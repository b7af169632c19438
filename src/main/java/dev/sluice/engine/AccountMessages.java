package dev.sluice.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many messages one account's queues hold, kept as messages come and go instead of counted on demand, so a
 * tenant's limit costs nothing to check and is reserved atomically: a send reserves its messages before it accepts
 * them, so concurrent sends can never together store more than the limit.
 *
 * <p>Counted: every message in one of the account's queues ({@link Queue#add}, {@link Queue#remove}, {@link
 * Queue#clear}), plus the messages sent or moved but not yet added (reserved when they are made, the reservation
 * becoming the message when it is added with {@link Queue#addReserved}, given back if it never is).
 */
final class AccountMessages {
    private final AtomicLong count = new AtomicLong();

    /** Reserves {@code n} messages if the count stays within {@code max}; false (and nothing reserved) otherwise. */
    boolean tryReserve(int n, long max) {
        if (max == Long.MAX_VALUE) {
            count.addAndGet(n);
            return true;
        }
        long current;
        do {
            current = count.get();
            if (current + n > max) {
                return false;
            }
        } while (!count.compareAndSet(current, current + n));
        return true;
    }

    void add(long n) {
        if (n != 0) {
            count.addAndGet(n);
        }
    }

    long count() {
        return count.get();
    }
}
