package dev.sluice.postgres;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import org.jboss.logging.Logger;

/**
 * This replica's control connection ({@link PgSubscriber}: one connection outside the pool, reconnected with backoff)
 * and the wake-ups that cross replicas. While polls are parked on a queue the replica {@code LISTEN}s on
 * {@code sluice_q_<queue id>} and announces that on {@code sluice_listen} (again every {@link #ANNOUNCE_EVERY}); a
 * replica that changed a queue sends {@code pg_notify} on the queue's channel only while some other replica's
 * announcement is fresh, so a queue nobody waits on costs no {@code NOTIFY}. The same connection listens on {@link
 * QueueCatalogue#CHANNEL} for catalogue changes. When it reconnects, notifications may have been missed: the
 * catalogue cache is dropped and every parked poll claims again.
 */
final class Wakeups implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Wakeups.class);
    static final String LISTEN_CHANNEL = "sluice_listen";
    static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(10);
    private static final long ANNOUNCEMENT_LIFETIME_MS = ANNOUNCE_EVERY.toMillis() * 3;
    private static final String NOTIFY = "select pg_notify($1, $2)";

    private final Vertx vertx;
    private final Pool pool;
    private final PgSubscriber subscriber;
    private final String replica = UUID.randomUUID().toString();
    private final LongConsumer wake;
    private final LongPredicate waitingOn;
    /** Queue id → until when (System.currentTimeMillis, local only) another replica listens on it. */
    private final Map<Long, Long> listenedElsewhere = new ConcurrentHashMap<>();

    private final Set<Long> listening = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean firstSubscription = new AtomicBoolean(true);
    private final long announcer;

    /**
     * {@code wake}: something may be receivable on a queue; {@code waitingOn}: whether polls are parked on it here;
     * {@code catalogue}: who hears the catalogue notifications (queues' and tenants' caches).
     */
    Wakeups(
            Vertx vertx,
            Pool pool,
            PgConnectOptions connect,
            CatalogueNotices catalogue,
            LongConsumer wake,
            LongPredicate waitingOn) {
        this.vertx = vertx;
        this.pool = pool;
        this.wake = wake;
        this.waitingOn = waitingOn;
        this.subscriber = PgSubscriber.subscriber(vertx, connect)
                .reconnectPolicy(retries -> Math.min(100L << Math.min(retries, 5), 3_000L));
        subscriber.channel(QueueCatalogue.CHANNEL).handler(catalogue::heard).subscribeHandler(subscribed -> {
            // The first subscription follows the start; a later one a reconnection, which may have missed changes.
            if (!firstSubscription.compareAndSet(true, false)) {
                catalogue.reconnected();
                listening.forEach(wake::accept);
            }
        });
        subscriber.channel(LISTEN_CHANNEL).handler(this::announced);
        subscriber.connect(connected -> {
            if (connected.failed()) {
                LOG.warnf(
                        "PostgreSQL control connection: %s (retrying)",
                        connected.cause().getMessage());
            }
        });
        this.announcer = vertx.setPeriodic(ANNOUNCE_EVERY.toMillis(), tick -> reannounce());
    }

    /** Polls are parked on the queue here: listen on its channel and tell the other replicas. */
    void listen(long queueId) {
        if (listening.add(queueId)) {
            subscriber.channel(channel(queueId)).handler(payload -> wake.accept(queueId));
            announce(queueId);
        }
    }

    /** Something may have become receivable on the queue: wakes the other replicas' polls parked on it. */
    void wakeOthers(long queueId) {
        Long until = listenedElsewhere.get(queueId);
        if (until != null) {
            if (until < System.currentTimeMillis()) {
                listenedElsewhere.remove(queueId, until);
                return;
            }
            pool.preparedQuery(NOTIFY).execute(Tuple.of(channel(queueId), ""));
        }
    }

    private void announced(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0 || payload.substring(0, colon).equals(replica)) {
            return;
        }
        try {
            listenedElsewhere.put(
                    Long.parseLong(payload.substring(colon + 1)),
                    System.currentTimeMillis() + ANNOUNCEMENT_LIFETIME_MS);
        } catch (NumberFormatException ignored) {
            // not an announcement of ours
        }
    }

    private void announce(long queueId) {
        pool.preparedQuery(NOTIFY).execute(Tuple.of(LISTEN_CHANNEL, replica + ':' + queueId));
    }

    /** Renews the announcements of queues still waited on, and stops listening on the others. */
    private void reannounce() {
        for (Long queueId : listening) {
            if (waitingOn.test(queueId)) {
                announce(queueId);
            } else if (listening.remove(queueId)) {
                subscriber.channel(channel(queueId)).handler(null);
            }
        }
    }

    private static String channel(long queueId) {
        return "sluice_q_" + queueId;
    }

    @Override
    public void close() {
        vertx.cancelTimer(announcer);
        subscriber.close();
    }
}
