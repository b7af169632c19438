package dev.sluice.admin;

import dev.sluice.server.AuthFailures;
import dev.sluice.server.SluiceConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import org.jboss.resteasy.reactive.common.core.BlockingNotAllowedException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * The door of the admin API, in front of every resource: a Quarkus REST request filter that reads the body first
 * (SigV4 covers it; at most {@value #MAX_BODY_BYTES} bytes), finds out who is asking ({@link AdminAuthentication})
 * and lets the request on with its {@link Principal}, or answers itself: 404 while the API is off, 401 or 403 for a
 * failed authentication (counted in {@code sluice_auth_failures_total}, logged at a limited rate, and for guesses
 * slowed down per client address by {@link LoginThrottle}), 429 once an address has guessed too often.
 *
 * <p>A filter rather than a Vert.x route ahead of Quarkus REST: a route that reads the body first leaves an HTTP/2
 * request ended, which Quarkus REST then fails to pause.
 */
@ApplicationScoped
public class AdminGate {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String PRINCIPAL = "sluice.admin.principal";
    private static final String OPEN_CLOCK = "sluice.admin.open-clock";

    private final AdminAuthentication authentication;
    private final AuthFailures failures;
    private final boolean manualClock;
    private final LoginThrottle throttle = new LoginThrottle();
    private final FailedAuthLog log = new FailedAuthLog();

    AdminGate(AdminAuthentication authentication, AuthFailures failures, SluiceConfig config) {
        this.authentication = authentication;
        this.failures = failures;
        failures.declare(AdminAuthentication.FAILURE_CODES);
        this.manualClock = config.clock() == SluiceConfig.ClockMode.manual;
    }

    /** Refuses a declared body beyond the limit before anything reads it. */
    void routes(@Observes Router router) {
        router.route("/admin/*").handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && (!length.matches("\\d{1,9}") || Long.parseLong(length) > MAX_BODY_BYTES)) {
                context.response().setStatusCode(413).end();
            } else {
                context.next();
            }
        });
    }

    /** Who the request acts as; a resource reached without passing the gate is refused. */
    static Principal principal(RoutingContext context) {
        Principal principal = context.get(PRINCIPAL);
        if (principal == null) {
            throw new ProblemException(401, AdminAuthentication.MISSING_CREDENTIALS, "the admin API needs credentials");
        }
        return principal;
    }

    /** Whether the request may use the test clock without credentials (manual clock, no admin token configured). */
    static boolean openClock(RoutingContext context) {
        return Boolean.TRUE.equals(context.get(OPEN_CLOCK));
    }

    @ServerRequestFilter(readBody = true)
    public Uni<Response> admit(ResteasyReactiveContainerRequestContext filtered, RoutingContext context)
            throws IOException {
        HttpServerRequest request = context.request();
        if (!context.normalizedPath().startsWith("/admin/")) {
            return Uni.createFrom().nullItem();
        }
        if (manualClock
                && !authentication.hasToken()
                && context.normalizedPath().startsWith("/admin/clock")) {
            // The manual clock was asked for explicitly, and there is no token to ask for: tests move it freely.
            context.put(OPEN_CLOCK, true);
            return Uni.createFrom().nullItem();
        }
        if (!authentication.enabled()) {
            throw new ProblemException(
                    404,
                    "AdminApiDisabled",
                    "the admin API is off: set sluice.admin.token (or use the sigv4 auth mode for tenants' keys)");
        }
        String address = request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().host();
        Duration refused = throttle.refusedFor(address);
        if (!refused.isZero() && carriesCredentials(request)) {
            failures.record(AdminAuthentication.THROTTLED);
            log.failed(AdminAuthentication.THROTTLED, address);
            return Uni.createFrom()
                    .item(Response.fromResponse(Problem.of(
                                            429,
                                            AdminAuthentication.THROTTLED,
                                            "too many failed authentications from this address; try again later")
                                    .response())
                            .header("Retry-After", String.valueOf(Math.max(1, refused.toSeconds() + 1)))
                            .build());
        }
        byte[] body = needsBody(request) ? body(filtered, request) : new byte[0];
        try {
            context.put(PRINCIPAL, authentication.authenticate(request, body));
            return Uni.createFrom().nullItem();
        } catch (AdminAuthentication.Failure failure) {
            failures.record(failure.code);
            Duration pause = Duration.ZERO;
            if (failure.guess) {
                pause = throttle.failed(address);
                log.failed(failure.code, address);
            }
            Response.ResponseBuilder reply =
                    Response.fromResponse(Problem.of(failure.status, failure.code, failure.getMessage())
                            .response());
            if (failure.status == 401) {
                reply.header("WWW-Authenticate", "Bearer realm=\"sluice-admin\"");
            }
            Uni<Response> answer = Uni.createFrom().item(reply.build());
            return pause.isZero() ? answer : answer.onItem().delayIt().by(pause);
        }
    }

    /** The sign-in carries its credentials in the body, and a SigV4 signature covers it. */
    private static boolean needsBody(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        return (authorization != null && authorization.startsWith("AWS4-"))
                || (request.method() == HttpMethod.POST && AdminAuthentication.SESSION_PATH.equals(request.path()));
    }

    /**
     * The body, which Quarkus REST has read already for a resource that takes one ({@code readBody}); it is put back
     * for the resource. A body sent to a resource that takes none cannot be read here without blocking: refused.
     */
    private static byte[] body(ResteasyReactiveContainerRequestContext filtered, HttpServerRequest request)
            throws IOException {
        String length = request.getHeader("Content-Length");
        if (request.getHeader("Transfer-Encoding") == null && (length == null || length.equals("0"))) {
            return new byte[0];
        }
        try {
            byte[] body = filtered.getEntityStream().readAllBytes();
            filtered.setEntityStream(new ByteArrayInputStream(body));
            return body;
        } catch (BlockingNotAllowedException e) {
            throw ProblemException.invalid("this request takes no body");
        }
    }

    private static boolean carriesCredentials(HttpServerRequest request) {
        return request.getHeader("Authorization") != null
                || (request.method() == HttpMethod.POST && AdminAuthentication.SESSION_PATH.equals(request.path()));
    }
}
