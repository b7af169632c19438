package dev.sluice.admin;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Logs failed admin authentications without letting a flood of them flood the log: the first at once, then at most
 * one line per {@link #INTERVAL}, which says how many failed since the line before.
 */
final class FailedAuthLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(FailedAuthLog.class);

    private final LongSupplier nanoTime;
    private final AtomicLong nextLineNanos;
    private final AtomicLong unlogged = new AtomicLong();

    FailedAuthLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextLineNanos = new AtomicLong(nanoTime.getAsLong());
    }

    FailedAuthLog() {
        this(System::nanoTime);
    }

    /** Returns whether a line was written for this failure. */
    boolean failed(String code, String address) {
        long now = nanoTime.getAsLong();
        long next = nextLineNanos.get();
        if (now - next < 0 || !nextLineNanos.compareAndSet(next, now + INTERVAL.toNanos())) {
            unlogged.incrementAndGet();
            return false;
        }
        long before = unlogged.getAndSet(0);
        if (before == 0) {
            LOG.warnf("admin API: failed authentication (%s) from %s", code, address);
        } else {
            LOG.warnf(
                    "admin API: failed authentication (%s) from %s; %d more failed since the last such line",
                    code, address, before);
        }
        return true;
    }
}
