package dev.sluice.quota;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket kept as one number, lock-free: the time at which it will be full again (the generic cell rate
 * algorithm's "theoretical arrival time"). Taking {@code n} tokens moves that time {@code n / rate} later; the bucket
 * admits while the time lies at most one burst ahead of now. Time is {@link System#nanoTime()}-style nanoseconds,
 * passed in, so a test moves it by hand.
 *
 * <p>{@link #take} may overdraw: the server charges a request after its signature verifies and a reply once it is
 * written, so requests admitted together (or a reply larger than the burst) leave a debt that the following requests
 * wait out. Over time the bucket passes exactly its rate.
 */
public final class TokenBucket {
    private static final VarHandle FULL_AT;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long EXACT_TOKENS = 9_000_000_000L;
    private static final long MAX_NANOS = 100_000_000_000_000_000L;

    static {
        try {
            FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Rate rate;
    private final long burstNanos;

    @SuppressWarnings("unused") // through FULL_AT
    private volatile long fullAt;

    /** A full bucket at {@code now}. */
    public TokenBucket(Rate rate, long now) {
        this.rate = rate;
        this.burstNanos = nanos(rate.burst());
        this.fullAt = now;
    }

    public Rate rate() {
        return rate;
    }

    /**
     * What {@code tokens} cost in time. Counts beyond {@link #EXACT_TOKENS} (no request or reply is that large) and
     * costs beyond {@link #MAX_NANOS} (about three years) are capped, so the sums below never overflow.
     */
    private long nanos(long tokens) {
        long exact = Math.min(Math.max(tokens, 0), EXACT_TOKENS) * NANOS_PER_SECOND / rate.perSecond();
        return Math.min(exact, MAX_NANOS);
    }

    /**
     * Whether {@code tokens} could be taken now, without taking them. A request larger than the burst needs a full
     * bucket (and then overdraws it), so no size is refused for ever.
     */
    public boolean has(long tokens, long now) {
        long cost = Math.min(nanos(tokens), burstNanos);
        return (long) FULL_AT.getVolatile(this) - now <= burstNanos - cost;
    }

    /** How long until {@link #has} would be true for {@code tokens}: 0 if it is now. */
    public long waitNanos(long tokens, long now) {
        long cost = Math.min(nanos(tokens), burstNanos);
        return Math.max(0, (long) FULL_AT.getVolatile(this) - now - (burstNanos - cost));
    }

    /** Takes {@code tokens}, overdrawing if they are not there. */
    public void take(long tokens, long now) {
        long cost = nanos(tokens);
        long current;
        do {
            current = (long) FULL_AT.getVolatile(this);
        } while (!FULL_AT.weakCompareAndSet(this, current, Math.max(current, now) + cost));
    }

    /** Takes {@code tokens} if {@link #has} them; false, and nothing taken, if not. */
    public boolean tryTake(long tokens, long now) {
        long full = nanos(tokens);
        long cost = Math.min(full, burstNanos);
        long current;
        do {
            current = (long) FULL_AT.getVolatile(this);
            if (current - now > burstNanos - cost) {
                return false;
            }
        } while (!FULL_AT.weakCompareAndSet(this, current, Math.max(current, now) + full));
        return true;
    }

    /** Gives back tokens taken by {@link #take} or {@link #tryTake} for a request that was then refused elsewhere. */
    public void giveBack(long tokens) {
        long cost = nanos(tokens);
        long current;
        do {
            current = (long) FULL_AT.getVolatile(this);
        } while (!FULL_AT.weakCompareAndSet(this, current, current - cost));
    }

    /** The tokens in the bucket now: at most the burst, below zero while a debt is being waited out. */
    public long available(long now) {
        long ahead = Math.max((long) FULL_AT.getVolatile(this) - now, 0);
        return (long) ((double) (burstNanos - ahead) * rate.perSecond() / NANOS_PER_SECOND);
    }

    /** Whether the bucket is full at {@code now}: it then holds no state worth keeping. */
    public boolean isFull(long now) {
        return (long) FULL_AT.getVolatile(this) <= now;
    }
}
