package dev.sluice.server;

import dev.sluice.queues.Queues;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The first step of a graceful stop. With {@code quarkus.shutdown.timeout} set, Quarkus' stop waits, up to that
 * timeout, for the requests in flight to be answered before it closes the HTTP server; then {@link EngineProducer}
 * closes the store, which writes its last group commit. When the stop begins (Quarkus' pre-shutdown, which fires
 * {@link ShutdownDelayInitiatedEvent} because {@code quarkus.shutdown.delay-enabled} is set, or after
 * {@code quarkus.shutdown.delay} when one is configured, the time a load balancer gets to stop sending traffic while
 * everything still works):
 *
 * <ul>
 *   <li>every parked long poll is answered with no messages, as SQS answers a wait that ends empty, and later receives
 *       no longer park, so no poll holds the stop for up to 20 seconds;
 *   <li>requests that arrive from then on are refused with 503 and {@code Connection: close} before they do anything,
 *       by a route added in front of all others at that moment (so requests pay nothing for it before). Quarkus would
 *       still take them, and one that arrived after its wait had ended would be cut off by the server's close after
 *       the store had done it: a send stored but never acknowledged. A 503 is what the AWS SDKs retry. Quarkus' own
 *       endpoints under {@code /q/} stay open.
 * </ul>
 */
@ApplicationScoped
public class GracefulShutdown {
    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final Queues queues;
    private final String timeout;
    private final Optional<Duration> delay;
    private volatile Router router;

    GracefulShutdown(
            Queues queues,
            @ConfigProperty(name = "quarkus.shutdown.timeout") String timeout,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.queues = queues;
        this.timeout = timeout;
        this.delay = delay.filter(value -> value.toMillis() > 0);
    }

    /** Kept for the stop; nothing is routed through this class before it, so requests pay nothing for it. */
    void keep(@Observes Router router) {
        this.router = router;
    }

    /** The first route of every request once the stop has begun. */
    private static void refuse(RoutingContext context) {
        if (context.request().path().startsWith("/q/")) {
            context.next();
            return;
        }
        context.response()
                .setStatusCode(503)
                .putHeader("Connection", "close")
                .putHeader("Retry-After", "1")
                .end();
    }

    void beginStop(@Observes ShutdownDelayInitiatedEvent event) {
        if (delay.isPresent()) {
            // Quarkus now waits the same delay on its stop thread, then waits for the requests in flight.
            LOG.infof("Sluice stopping in %s", delay.get());
            CompletableFuture.delayedExecutor(delay.get().toMillis(), TimeUnit.MILLISECONDS)
                    .execute(this::stop);
        } else {
            stop();
        }
    }

    private void stop() {
        router.route().order(Integer.MIN_VALUE).handler(GracefulShutdown::refuse);
        int answered = queues.endLongPolls();
        LOG.infof(
                "Sluice stopping: answered %d open long poll(s), refusing new requests; waiting up to %s for"
                        + " requests in flight",
                answered, timeout);
    }
}
