package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database's clock, as seen from this replica: every replica that uses it agrees on the time, whatever its own
 * wall clock says, so visibility deadlines, delays and retention mean the same on all of them.
 *
 * <p>It reads {@code clock_timestamp()} and takes the midpoint of that read's round trip as the instant the database
 * answered; in between reads it advances by the replica's monotonic clock ({@code System.nanoTime}), never by its wall
 * clock, so a wall-clock step on the replica changes nothing. The error is at most half a round trip plus the
 * monotonic clock's drift since the last read, which is renewed every {@code resyncEvery} (in the background, on the
 * first {@link #instant} after that). The statements still take {@code now} as a parameter from an
 * {@code InstantSource}: this one in production, a fake clock in tests.
 */
public final class DatabaseClock implements InstantSource {
    static final String READ = "select (extract(epoch from clock_timestamp()) * 1000000)::bigint";

    private final Pool pool;
    private final String read;
    private final Duration resyncEvery;
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile Anchor anchor;

    /** The database's time in microseconds at {@code nanos} of the monotonic clock, from a read that took so long. */
    private record Anchor(long databaseMicros, long nanos, long roundTripNanos) {}

    private DatabaseClock(Pool pool, String read, Duration resyncEvery) {
        this.pool = pool;
        this.read = read;
        this.resyncEvery = resyncEvery;
    }

    /** A clock synchronised once before the future completes (three reads, the one with the shortest round trip). */
    public static Future<DatabaseClock> start(Pool pool, Duration resyncEvery) {
        return start(pool, READ, resyncEvery);
    }

    /** A clock on another reading of the database's time (microseconds since the epoch): tests shift it. */
    static Future<DatabaseClock> start(Pool pool, String read, Duration resyncEvery) {
        DatabaseClock clock = new DatabaseClock(pool, read, resyncEvery);
        return clock.sync()
                .compose(first -> clock.sync())
                .compose(second -> clock.sync())
                .map(third -> clock);
    }

    @Override
    public Instant instant() {
        Anchor current = anchor;
        long now = System.nanoTime();
        if (now - current.nanos() > resyncEvery.toNanos() && syncing.compareAndSet(false, true)) {
            sync().onComplete(done -> syncing.set(false));
        }
        long micros = current.databaseMicros() + (now - current.nanos()) / 1000;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    /** Half the round trip of the read behind the current anchor: the bound on this clock's error when read. */
    public Duration uncertainty() {
        return Duration.ofNanos(anchor.roundTripNanos() / 2);
    }

    private Future<Void> sync() {
        long sent = System.nanoTime();
        return pool.query(read).execute().map(rows -> {
            long received = System.nanoTime();
            long databaseMicros = rows.iterator().next().getLong(0);
            Anchor read = new Anchor(databaseMicros, sent + (received - sent) / 2, received - sent);
            Anchor current = anchor;
            // A fresh read replaces an older one unless the older one was much tighter and is still recent.
            if (current == null
                    || read.roundTripNanos() <= current.roundTripNanos() * 2
                    || read.nanos() - current.nanos() > resyncEvery.toNanos() * 4) {
                anchor = read;
            }
            return null;
        });
    }
}
