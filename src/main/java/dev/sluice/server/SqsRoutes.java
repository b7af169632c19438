package dev.sluice.server;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.api.Caller;
import dev.sluice.api.TenantAccess;
import dev.sluice.auth.AuthException;
import dev.sluice.auth.OpenModeAccounts;
import dev.sluice.auth.SigV4Verifier;
import dev.sluice.protocol.HttpReply;
import dev.sluice.protocol.SqsEndpoint;
import dev.sluice.protocol.WireRequest;
import dev.sluice.queues.IdSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The SQS HTTP surface: POST and GET on {@code /} and on queue URL paths ({@code /{account}/{queue}}), everything but
 * Quarkus' own {@code /q/} endpoints. A plain Vert.x route rather than a JAX-RS resource: the body is taken as raw
 * bytes whatever its content type, and the reply is written when the engine's stage completes, so a 20-second long
 * poll holds no thread.
 */
@ApplicationScoped
public class SqsRoutes {
    private static final Logger REQUEST_LOG = Logger.getLogger("dev.sluice.request");
    private static final Logger LOG = Logger.getLogger(SqsRoutes.class);
    /** Room for a 1 MiB batch even when URL- or JSON-escaping triples it. */
    private static final java.util.regex.Pattern CONTENT_LENGTH = java.util.regex.Pattern.compile("\\d{1,18}");

    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final String TOO_LARGE = "A request body may be at most " + MAX_BODY_BYTES + " bytes.";
    private static final String TOO_SLOW = "The request body did not arrive within the body timeout.";
    private static final String BUSY = "Too many request bodies are being received at once; please retry.";

    /** Every path but Quarkus' own (/q/), the admin API, the console and the console's script libraries. */
    static final String SQS_PATHS = "^/(?!q/|admin(?:/|$)|console(?:/|$)|_static/).*";

    private final SqsEndpoint endpoint;
    private final SluiceConfig config;
    private final OpenModeAccounts accounts;
    private final SigV4Verifier verifier;
    private final AuthFailures failures;
    private final boolean sigv4;

    private final TenantAccess tenantAccess;
    private final BodyMemory memory;
    private final long bodyTimeoutNanos;

    SqsRoutes(
            SqsEndpoint endpoint,
            SluiceConfig config,
            SigV4Verifier verifier,
            AuthFailures failures,
            TenantAccess tenantAccess,
            MeterRegistry registry) {
        this.tenantAccess = tenantAccess;
        this.memory = new BodyMemory(config.http()
                .bodyMemory()
                .map(MemorySize::asLongValue)
                .orElse(Runtime.getRuntime().maxMemory() / 4));
        Gauge.builder("sluice.request.body.bytes", memory, BodyMemory::held)
                .description("Bytes held by request bodies being received, all connections together")
                .register(registry);
        this.bodyTimeoutNanos = config.http().bodyTimeout().toNanos();
        this.endpoint = endpoint;
        this.config = config;
        this.accounts = new OpenModeAccounts(config.accountId());
        this.verifier = verifier;
        this.failures = failures;
        this.sigv4 = config.auth().mode() == SluiceConfig.AuthMode.sigv4;
    }

    void start(@Observes StartupEvent event) {
        // Forces the engine (and the store's recovery) to load at start rather than on the first request.
    }

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refuseWithoutHost);
        router.routeWithRegex(SQS_PATHS)
                .method(HttpMethod.POST)
                .method(HttpMethod.GET)
                .handler(this::readBody);
    }

    /**
     * HTTP/1.1 requires a Host header (RFC 9112, section 3.2), and Vert.x fails a request without one before any route
     * runs; Quarkus' error handler would log that as an ERROR with a stack trace. It is the client's mistake: a 400 in
     * the request's protocol, and no error in the log.
     */
    private void refuseWithoutHost(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (context.statusCode() == 400
                && request.version() != HttpVersion.HTTP_2
                && request.getHeader("Host") == null) {
            refuse(
                    context,
                    new AwsException(AwsErrors.INVALID_REQUEST, "An HTTP/1.1 request needs a Host header."),
                    true);
            return;
        }
        context.next();
    }

    /**
     * Reads the body as raw bytes into an array that grows as they arrive ({@link RequestBody}), within the ceiling of
     * {@link BodyMemory} and the body timeout; in the sigv4 mode the headers are checked first, so a request with an
     * unknown key or a stale date is refused before any of its body is read. Not Vert.x's BodyHandler, which for form
     * content also decodes the form with a 2 KiB limit per field (the query protocol decodes it itself), nor {@code
     * request.body()}, which grows a buffer chunk by chunk and then needs a copy.
     */
    private void readBody(RoutingContext context) {
        long started = System.nanoTime();
        HttpServerRequest request = context.request();
        String length = request.getHeader("Content-Length");
        if (length != null && (!CONTENT_LENGTH.matcher(length).matches() || Long.parseLong(length) > MAX_BODY_BYTES)) {
            refuse(context, new AwsException(AwsErrors.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE), true);
            return;
        }
        SigV4Verifier.PendingSignature signature = null;
        if (sigv4) {
            try {
                signature = verifier.checkHeaders(SignedRequests.of(request, null));
            } catch (AuthException e) {
                AwsException error = AwsErrors.translate(e);
                failures.record(error.error().queryCode());
                refuse(context, error, false);
                return;
            }
        }
        SigV4Verifier.PendingSignature checked = signature;
        RequestBody body = new RequestBody(length == null ? -1 : Integer.parseInt(length), MAX_BODY_BYTES, memory);
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            switch (body.append(chunk)) {
                case ADDED -> {
                    if (System.nanoTime() - started > bodyTimeoutNanos) {
                        body.release();
                        refuse(context, new AwsException(AwsErrors.REQUEST_TIMEOUT, TOO_SLOW), true);
                    }
                }
                case TOO_LARGE -> {
                    body.release();
                    refuse(context, new AwsException(AwsErrors.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE), true);
                }
                case NO_MEMORY -> {
                    body.release();
                    refuse(context, new AwsException(AwsErrors.SERVICE_UNAVAILABLE, BUSY), true);
                }
            }
        });
        request.exceptionHandler(failure -> {
            body.release();
            if (!context.response().ended()) {
                context.response().setStatusCode(400).end();
            }
        });
        context.response().closeHandler(ignored -> body.release());
        request.endHandler(ignored -> {
            byte[] bytes = body.bytes();
            if (!context.response().ended()) {
                handle(context, bytes, checked, started);
            }
        });
        // Quarkus hands requests to routes paused; reading the body needs the stream flowing again.
        request.resume();
    }

    /**
     * Answers with an AWS error, in the request's protocol, before its body is read (whole): the rest of the body is
     * not wanted, so an HTTP/1.x connection is closed once the answer is written. A refusal of the HTTP layer (too
     * large, too slow, too busy) keeps its own status in both protocols; an authentication error gets the one its
     * protocol gives it.
     */
    private void refuse(RoutingContext context, AwsException error, boolean httpLayer) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        WireRequest wire =
                new WireRequest(request.method().name(), request.query(), new RequestHeaders(request.headers()), null);
        HttpReply rejected = endpoint.reject(wire, error, IdSource.randomUuid());
        HttpReply reply = httpLayer
                ? new HttpReply(error.error().httpStatus(), rejected.contentType(), rejected.headers(), rejected.body())
                : rejected;
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            response.putHeader("Connection", "close");
        }
        write(response, reply).onComplete(written -> {
            if (http1) {
                request.connection().close();
            }
        });
    }

    private void handle(RoutingContext context, byte[] body, SigV4Verifier.PendingSignature signature, long started) {
        String requestId = IdSource.randomUuid();
        HttpServerRequest request = context.request();
        Map<String, String> headers = new RequestHeaders(request.headers());
        WireRequest wire = new WireRequest(request.method().name(), request.query(), headers, body);
        String baseUrl = config.baseUrl().orElseGet(() -> request.scheme() + "://" + request.authority());
        String path = request.path();
        String pathQueueUrl = path == null || path.equals("/") || path.isEmpty() ? null : baseUrl + path;
        String accountId;
        if (signature != null) {
            try {
                accountId = verifier.verify(signature, wire.body()).accountId();
            } catch (AuthException e) {
                AwsException error = AwsErrors.translate(e);
                failures.record(error.error().queryCode());
                reply(context, new SqsEndpoint.Outcome(null, null, endpoint.reject(wire, error, requestId)), started);
                return;
            }
        } else {
            accountId = accounts.accountFor(headers.get("authorization"), request.query());
        }
        // Only sigv4 mode evaluates queue policies, which may test the source address and TLS.
        Caller caller = sigv4
                ? new Caller(
                        accountId,
                        baseUrl,
                        pathQueueUrl,
                        config.region(),
                        sourceIp(request),
                        request.isSSL(),
                        tenantAccess,
                        null)
                : new Caller(accountId, baseUrl, pathQueueUrl, config.region());
        Context vertxContext = Vertx.currentContext();
        Executor onEventLoop = task -> {
            if (Vertx.currentContext() == vertxContext) {
                task.run();
            } else {
                vertxContext.runOnContext(ignored -> task.run());
            }
        };
        endpoint.handle(wire, caller, requestId, onEventLoop)
                .whenCompleteAsync(
                        (outcome, failure) -> {
                            if (failure != null) {
                                // The endpoint turns every failure into an AWS error; this is only a last resort.
                                LOG.errorf(failure, "request %s failed", requestId);
                                AwsException internal = new AwsException(
                                        AwsErrors.INTERNAL_FAILURE, "We encountered an internal error.");
                                outcome =
                                        new SqsEndpoint.Outcome(null, null, endpoint.reject(wire, internal, requestId));
                            }
                            reply(context, outcome, started);
                        },
                        onEventLoop);
    }

    /** The address the connection comes from, as queue policies test it (aws:SourceIp); null if not an IP socket. */
    public static String sourceIp(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || !remote.isInetSocket() ? null : remote.hostAddress();
    }

    private static Future<Void> write(HttpServerResponse response, HttpReply reply) {
        response.setStatusCode(reply.status());
        response.putHeader("Content-Type", reply.contentType());
        reply.headers().forEach(response::putHeader);
        return response.end(Buffer.buffer(reply.body()));
    }

    private void reply(RoutingContext context, SqsEndpoint.Outcome outcome, long started) {
        HttpServerResponse response = context.response();
        if (response.closed()) {
            return;
        }
        HttpReply reply = outcome.reply();
        write(response, reply);
        if (config.requestLog()) {
            REQUEST_LOG.infof(
                    "action=%s queue=%s status=%d duration_ms=%.2f request_id=%s",
                    outcome.action(),
                    outcome.queue(),
                    reply.status(),
                    (System.nanoTime() - started) / 1e6,
                    reply.headers().get("x-amzn-RequestId"));
        }
    }
}
