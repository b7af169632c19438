package dev.sluice.quota;

/**
 * One token bucket's setting: {@code perSecond} tokens flow in each second, and the bucket holds at most {@code burst}
 * (what a client that was idle may spend at once). Tokens are requests or bytes, as the quota says.
 */
public record Rate(long perSecond, long burst) {
    /** Rates beyond this are no limit on one process; the bound keeps the bucket's nanosecond arithmetic exact. */
    public static final long MAX = 1_000_000_000_000L;

    public Rate {
        if (perSecond < 1 || perSecond > MAX) {
            throw new IllegalArgumentException("a rate is from 1 to " + MAX + " per second, not " + perSecond);
        }
        if (burst < 1 || burst > MAX) {
            throw new IllegalArgumentException("a burst is from 1 to " + MAX + ", not " + burst);
        }
    }

    /** The rate with a burst of one second's worth, when none is given. */
    public static Rate of(long perSecond, Long burst) {
        return new Rate(perSecond, burst != null ? burst : perSecond);
    }
}
