package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Which replica does the background work: the one whose lease connection (its own, outside the pool) holds the
 * session advisory lock {@link #LOCK_KEY}. Every {@link #PERIOD} a replica that does not hold it tries {@code
 * pg_try_advisory_lock} (connecting first if it has no connection); the holder runs {@code onPeriod} instead. When the
 * holder dies its connection closes and PostgreSQL releases the lock, so another replica's next try takes over; a
 * holder whose connection closes stops leading at once ({@code onLost}). {@link #close} unlocks before closing, so a
 * replica stopped on purpose hands over at the next try rather than when PostgreSQL notices the closed socket.
 *
 * <p>Two replicas briefly both leading (the connection dropped on one side only) does no harm: every background step
 * is a transaction that is correct whoever runs it.
 */
final class BackgroundLease implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackgroundLease.class);
    /** The advisory lock's key: "sluice" in ASCII; Flyway's lock uses another. */
    static final long LOCK_KEY = 0x736c75696365L;

    static final Duration PERIOD = Duration.ofSeconds(2);
    private static final String TRY_LOCK = "select pg_try_advisory_lock($1)";
    private static final String UNLOCK = "select pg_advisory_unlock($1)";
    private static final String PING = "select 1";
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    /** What the lease holder does: when it takes the lease, every period while it holds it, and when it loses it. */
    interface Work {
        void onAcquired();

        void onPeriod();

        void onLost();
    }

    private final Vertx vertx;
    private final PgConnectOptions connect;
    private final Work work;
    private final long timer;
    private final Future<Void> firstAttempt;
    private PgConnection connection;
    /** The lock is held: background steps may run. */
    private volatile boolean holding;
    /** Held, and the holder's work has been started ({@link Work#onAcquired} returned). */
    private volatile boolean leading;

    private boolean attempting;
    private boolean closed;

    BackgroundLease(Vertx vertx, PgConnectOptions connect, Work work) {
        this.vertx = vertx;
        this.connect = connect;
        this.work = work;
        this.firstAttempt = attempt();
        this.timer = vertx.setPeriodic(PERIOD.toMillis(), tick -> period());
    }

    /** Completes once the first try for the lease has ended (taken or not); tests wait for it after a start. */
    Future<Void> started() {
        return firstAttempt;
    }

    /** Whether this replica holds the lock and has started its work (what an operator or a test asks). */
    boolean leading() {
        return leading;
    }

    /** Whether this replica holds the lock (what a background step checks before it runs). */
    boolean holding() {
        return holding;
    }

    private synchronized void period() {
        if (holding) {
            // A connection the network dropped on the database's side only is found out here, not after TCP gives up.
            PgConnection held = connection;
            if (held != null) {
                held.query(PING).execute().onFailure(e -> held.close());
            }
            work.onPeriod();
        } else {
            attempt();
        }
    }

    private synchronized Future<Void> attempt() {
        if (attempting || closed || holding) {
            return Future.succeededFuture();
        }
        attempting = true;
        Promise<Void> done = Promise.promise();
        connection()
                .compose(open -> open.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK_KEY)))
                .onComplete(result -> {
                    boolean acquired = false;
                    synchronized (this) {
                        attempting = false;
                        if (result.succeeded()
                                && result.result().iterator().next().getBoolean(0)
                                && !closed) {
                            holding = true;
                            acquired = true;
                        }
                    }
                    if (result.failed()) {
                        LOG.debugf(
                                "background lease: %s (retrying)",
                                result.cause().getMessage());
                    }
                    if (acquired) {
                        LOG.info("This replica holds the background lease: it runs retention sweeps and message move"
                                + " tasks");
                        work.onAcquired();
                        leading = holding;
                    }
                    done.complete();
                });
        return done.future();
    }

    private Future<PgConnection> connection() {
        if (connection != null) {
            return Future.succeededFuture(connection);
        }
        return PgConnection.connect(vertx, connect).compose(opened -> {
            synchronized (this) {
                if (closed) {
                    // Closed while connecting: this connection must hold no lock.
                    opened.close();
                    return Future.failedFuture("closed");
                }
                connection = opened;
            }
            opened.closeHandler(closedConnection -> lost(opened));
            return Future.succeededFuture(opened);
        });
    }

    private void lost(PgConnection which) {
        boolean wasLeading;
        synchronized (this) {
            if (connection != which) {
                return;
            }
            connection = null;
            wasLeading = holding;
            holding = false;
            leading = false;
        }
        if (wasLeading) {
            LOG.warn("Background lease lost (its connection closed); trying again");
            work.onLost();
        }
    }

    /** Closes from a thread that may wait (never an event loop): at most {@value #CLOSE_TIMEOUT_SECONDS} s. */
    @Override
    public void close() {
        try {
            closeGracefully().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The database is gone or slow: closing the socket (or the process ending) releases the lock all the same.
            LOG.debugf("background lease: closing: %s", e.getMessage());
        }
    }

    /** Stops trying, gives the lock back if held (so another replica takes over at once) and closes the connection. */
    Future<Void> closeGracefully() {
        PgConnection open;
        boolean wasLeading;
        synchronized (this) {
            closed = true;
            vertx.cancelTimer(timer);
            open = connection;
            connection = null;
            wasLeading = holding;
            holding = false;
            leading = false;
        }
        if (wasLeading) {
            work.onLost();
        }
        if (open == null) {
            return Future.succeededFuture();
        }
        Future<?> unlocked =
                wasLeading ? open.preparedQuery(UNLOCK).execute(Tuple.of(LOCK_KEY)) : Future.succeededFuture();
        return unlocked.transform(done -> open.close());
    }
}
