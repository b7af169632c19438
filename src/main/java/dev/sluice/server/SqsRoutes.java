package dev.sluice.server;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.api.Caller;
import dev.sluice.api.QueueAccess;
import dev.sluice.api.SqsApi;
import dev.sluice.api.TenantAccess;
import dev.sluice.auth.AuthException;
import dev.sluice.auth.OpenModeAccounts;
import dev.sluice.auth.SigV4Verifier;
import dev.sluice.protocol.AsciiDigits;
import dev.sluice.protocol.HttpReply;
import dev.sluice.protocol.SqsEndpoint;
import dev.sluice.protocol.WireRequest;
import dev.sluice.queues.IdSource;
import dev.sluice.quota.AccountBuckets;
import dev.sluice.quota.Quotas;
import dev.sluice.quota.Throttle;
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
    private static final Logger LOG = Logger.getLogger(SqsRoutes.class);
    /** The longest Content-Length read as a number: 18 digits always fit in a long (Netty refuses longer numbers first). */
    private static final int MAX_LENGTH_DIGITS = 18;

    /** Room for a 1 MiB batch even when URL- or JSON-escaping triples it. */
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final String TOO_LARGE = "A request body may be at most " + MAX_BODY_BYTES + " bytes.";
    private static final String TOO_SLOW = "The request body did not arrive within the body timeout.";
    private static final String EXPECT = "Expect";
    private static final String EXPECT_CONTINUE = "100-continue";
    private static final String BUSY = "Too many request bodies are being received at once; please retry.";
    /**
     * A throttled request's body up to this size is read and dropped, so its connection stays open for the client's
     * retry; a larger one is answered at once and its connection closed, as reading it would cost more than a new
     * connection does.
     */
    static final long MAX_DRAINED_BYTES = 256 * 1024;

    /**
     * A request refused by its account's quota is answered when the quota would admit it again, but no sooner than
     * this after it arrived: a client that does not back off (SDKs do) then costs one refusal per connection and
     * interval, not a refusal loop that would take the CPU from other tenants.
     */
    static final long MIN_REFUSAL_NANOS = 100_000_000L;
    /** ... and no later than this. */
    static final long MAX_REFUSAL_NANOS = 1_000_000_000L;

    private static final java.util.regex.Pattern FORM_ACTION =
            java.util.regex.Pattern.compile("(?:^|&)Action=([A-Za-z]{1,64})");

    /** Every path but Quarkus' own (/q/), the admin API, the console and the console's script libraries. */
    static final String SQS_PATHS = "^/(?!q/|admin(?:/|$)|console(?:/|$)|_static/).*";

    /** The routing context's mark of a request whose unknown key was looked up ({@link #lookUpThenRetry}). */
    private static final String LOOKED_UP = "sluice.lookedUp";

    private final SqsEndpoint endpoint;
    private final SluiceConfig config;
    private final OpenModeAccounts accounts;
    private final SigV4Verifier verifier;
    private final AuthFailures failures;
    private final boolean sigv4;

    private final TenantAccess tenantAccess;
    private final BodyMemory memory;
    private final long bodyTimeoutNanos;
    private final Quotas quotas;
    private final ThrottledRequests throttled;
    private final SqsApi api;
    private final RequestLog requestLog = new RequestLog();
    private final RequestMetrics metrics;

    SqsRoutes(
            SqsEndpoint endpoint,
            SluiceConfig config,
            SigV4Verifier verifier,
            AuthFailures failures,
            TenantAccess tenantAccess,
            MeterRegistry registry,
            Quotas quotas,
            ThrottledRequests throttled,
            SqsApi api,
            RequestMetrics metrics) {
        this.metrics = metrics;
        this.tenantAccess = tenantAccess;
        this.quotas = quotas;
        this.throttled = throttled;
        this.api = api;
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
        long started = System.nanoTime();
        HttpServerRequest request = context.request();
        if (context.statusCode() == 400
                && request.version() != HttpVersion.HTTP_2
                && request.getHeader("Host") == null) {
            refuse(
                    context,
                    started,
                    new AwsException(AwsErrors.INVALID_REQUEST, "An HTTP/1.1 request needs a Host header."),
                    true);
            return;
        }
        context.next();
    }

    /**
     * Reads the body as raw bytes into an array that grows as they arrive ({@link RequestBody}), within the ceiling of
     * {@link BodyMemory} and the body timeout; in the sigv4 mode the headers are checked first, so a request with an
     * unknown key or a stale date is refused before any of its body is read. Then the account's quota is checked
     * (admission: a map lookup and a read of the account's own buckets), so a throttled request costs no body memory,
     * decoding or store work. Not Vert.x's BodyHandler, which for form content also decodes the form with a 2 KiB
     * limit per field (the query protocol decodes it itself), nor {@code request.body()}, which grows a buffer chunk
     * by chunk and then needs a copy.
     */
    /**
     * A key this replica does not know may have been created through another replica sharing the storage a moment ago
     * (PostgreSQL mode): once it is read ({@link SigV4Verifier#lookUp}; at once, false, with the embedded store) the
     * request is checked again, once. The body waits meanwhile.
     */
    private void lookUpThenRetry(RoutingContext context, String accessKeyId) {
        context.put(LOOKED_UP, Boolean.TRUE);
        HttpServerRequest request = context.request();
        request.pause();
        io.vertx.core.Context here = context.vertx().getOrCreateContext();
        verifier.lookUp(accessKeyId)
                .whenComplete((found, failure) -> here.runOnContext(again -> {
                    readBody(context);
                    request.resume();
                }));
    }

    private void readBody(RoutingContext context) {
        long started = System.nanoTime();
        HttpServerRequest request = context.request();
        String length = request.getHeader("Content-Length");
        if (length != null
                && (!AsciiDigits.isDigits(length, MAX_LENGTH_DIGITS) || Long.parseLong(length) > MAX_BODY_BYTES)) {
            refuse(context, started, new AwsException(AwsErrors.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE), true);
            return;
        }
        long declared = length == null ? -1 : Long.parseLong(length);
        SigV4Verifier.PendingSignature signature = null;
        String accountId;
        String region;
        if (sigv4) {
            try {
                signature = verifier.checkHeaders(SignedRequests.of(request, null));
            } catch (AuthException e) {
                if (e.unknownAccessKeyId() != null && context.get(LOOKED_UP) == null) {
                    lookUpThenRetry(context, e.unknownAccessKeyId());
                    return;
                }
                AwsException error = AwsErrors.translate(e);
                failures.record(error.error().queryCode());
                refuse(context, started, error, false);
                return;
            }
            accountId = signature.key().accountId();
            region = signature.scope().region();
        } else {
            OpenModeAccounts.Credential credential =
                    accounts.credentialOf(request.getHeader("authorization"), request.query());
            accountId = credential.accountId();
            region = credential.region();
        }
        AccountBuckets buckets = quotas.account(accountId, started);
        if (buckets != null) {
            Throttle throttle = buckets.admits(Math.max(declared, 0), started);
            if (throttle != null) {
                throttle(context, accountId, throttle, declared, started);
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
                        refuse(context, started, new AwsException(AwsErrors.REQUEST_TIMEOUT, TOO_SLOW), true);
                    }
                }
                case TOO_LARGE -> {
                    body.release();
                    refuse(context, started, new AwsException(AwsErrors.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE), true);
                }
                case NO_MEMORY -> {
                    body.release();
                    refuse(context, started, new AwsException(AwsErrors.SERVICE_UNAVAILABLE, BUSY), true);
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
                handle(context, bytes, checked, accountId, region, buckets, started);
            }
        });
        if (request.version() == HttpVersion.HTTP_1_1 && EXPECT_CONTINUE.equalsIgnoreCase(request.getHeader(EXPECT))) {
            // Accepted from its headers: a client that waits for it (curl with a large body) sends the body now rather
            // than after its own timeout; one that was refused above never sends it.
            context.response().writeContinue();
        }
        // Quarkus hands requests to routes paused; reading the body needs the stream flowing again.
        request.resume();
    }

    /**
     * Answers with an AWS error, in the request's protocol, before its body is read (whole): the rest of the body is
     * not wanted, so an HTTP/1.x connection is closed once the answer is written. A refusal of the HTTP layer (too
     * large, too slow, too busy) keeps its own status in both protocols; an authentication error gets the one its
     * protocol gives it.
     */
    private void refuse(RoutingContext context, long started, AwsException error, boolean httpLayer) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        WireRequest wire =
                new WireRequest(request.method().name(), request.query(), new RequestHeaders(request.headers()), null);
        HttpReply rejected = endpoint.reject(wire, error, IdSource.randomUuid());
        HttpReply reply = httpLayer
                ? new HttpReply(
                        error.error().httpStatus(),
                        rejected.contentType(),
                        rejected.headers(),
                        rejected.body(),
                        rejected.errorCode())
                : rejected;
        metrics.record(
                known(actionBeforeBody(request)), isJson(request), reply.errorCode(), System.nanoTime() - started);
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

    /**
     * Answers RequestThrottled, SQS's own code for it, in the request's protocol. A small body is read and dropped
     * first (no memory held), so the connection stays open for the SDK's retry, and the answer is held until the
     * quota would admit the request again, within {@link #MIN_REFUSAL_NANOS} and {@link #MAX_REFUSAL_NANOS} of its
     * arrival (a timer; no thread waits). A larger body is answered at once and its connection closed. The action is
     * taken from {@code X-Amz-Target}, the query string or the start of a form body, for the metric only.
     */
    private void throttle(RoutingContext context, String accountId, Throttle throttle, long declared, long started) {
        HttpServerRequest request = context.request();
        AwsException error = new AwsException(AwsErrors.REQUEST_THROTTLED, throttle.message());
        String headerAction = actionBeforeBody(request);
        if (declared > MAX_DRAINED_BYTES) {
            throttled.record(accountId, known(headerAction), throttle.limit());
            refuse(context, started, error, false);
            return;
        }
        long[] drained = {0};
        String[] action = {headerAction};
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (drained[0] == 0 && action[0] == null) {
                action[0] = formAction(chunk);
            }
            drained[0] += chunk.length();
            if (drained[0] > MAX_DRAINED_BYTES) {
                throttled.record(accountId, known(action[0]), throttle.limit());
                refuse(context, started, error, false);
            } else if (System.nanoTime() - started > bodyTimeoutNanos) {
                refuse(context, started, new AwsException(AwsErrors.REQUEST_TIMEOUT, TOO_SLOW), true);
            }
        });
        request.exceptionHandler(failure -> {
            if (!context.response().ended()) {
                context.response().setStatusCode(400).end();
            }
        });
        request.endHandler(ignored -> {
            if (context.response().ended()) {
                return;
            }
            String name = known(action[0]);
            throttled.record(accountId, name, throttle.limit());
            WireRequest wire = new WireRequest(
                    request.method().name(), request.query(), new RequestHeaders(request.headers()), null);
            HttpReply reply = endpoint.reject(wire, error, IdSource.randomUuid());
            long due = started
                    + Math.clamp(throttle.retryInNanos(), MIN_REFUSAL_NANOS, MAX_REFUSAL_NANOS)
                    - System.nanoTime();
            if (due < 1_000_000L) {
                reply(context, new SqsEndpoint.Outcome(name, null, reply), started, null);
            } else {
                context.vertx()
                        .setTimer(
                                due / 1_000_000L,
                                timer -> reply(context, new SqsEndpoint.Outcome(name, null, reply), started, null));
            }
        });
        request.resume();
    }

    /** The action a request names before its body: X-Amz-Target (JSON 1.0) or the query string (query protocol). */
    private static String actionBeforeBody(HttpServerRequest request) {
        String target = request.getHeader("X-Amz-Target");
        if (target != null) {
            return target.startsWith("AmazonSQS.") ? target.substring("AmazonSQS.".length()) : null;
        }
        String query = request.query();
        return query == null ? null : find(FORM_ACTION, query);
    }

    /** The Action of a form body, if its first chunk names it. */
    private static String formAction(Buffer chunk) {
        int length = Math.min(chunk.length(), 4096);
        return find(FORM_ACTION, chunk.getString(0, length, "ISO-8859-1"));
    }

    private static String find(java.util.regex.Pattern pattern, String text) {
        var matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Whether the request is in AWS JSON 1.0 (else the query protocol), as {@link SqsEndpoint} decides. */
    private static boolean isJson(HttpServerRequest request) {
        return request.getHeader("X-Amz-Target") != null;
    }

    /** The action as a metric label: an SQS action's name, else Unknown (labels must stay few). */
    private String known(String action) {
        return action != null && api.knows(action) ? action : ThrottledRequests.UNKNOWN_ACTION;
    }

    private void handle(
            RoutingContext context,
            byte[] body,
            SigV4Verifier.PendingSignature signature,
            String accountId,
            String region,
            AccountBuckets buckets,
            long started) {
        String requestId = IdSource.randomUuid();
        HttpServerRequest request = context.request();
        Map<String, String> headers = new RequestHeaders(request.headers());
        WireRequest wire = new WireRequest(request.method().name(), request.query(), headers, body);
        String baseUrl = config.baseUrl().orElseGet(() -> request.scheme() + "://" + request.authority());
        String path = request.path();
        String pathQueueUrl = path == null || path.equals("/") || path.isEmpty() ? null : baseUrl + path;
        if (signature != null) {
            try {
                verifier.verify(signature, wire.body());
            } catch (AuthException e) {
                AwsException error = AwsErrors.translate(e);
                failures.record(error.error().queryCode());
                reply(
                        context,
                        new SqsEndpoint.Outcome(null, null, endpoint.reject(wire, error, requestId)),
                        started,
                        null);
                return;
            }
        }
        if (buckets != null) {
            // Charged once the signature verified: a forged request naming the account's key costs it nothing.
            buckets.charge(body.length, System.nanoTime());
        }
        // Only sigv4 mode evaluates queue policies, which may test the source address and TLS.
        Caller caller = sigv4
                ? new Caller(
                        accountId,
                        baseUrl,
                        pathQueueUrl,
                        region,
                        config.region(),
                        sourceIp(request),
                        request.isSSL(),
                        tenantAccess,
                        null)
                : new Caller(
                        accountId, baseUrl, pathQueueUrl, region, config.region(), null, false, QueueAccess.ANY, null);
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
                            reply(context, outcome, started, buckets);
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

    /** Writes the reply; its bytes are charged to {@code buckets} (null: to nobody). */
    private void reply(RoutingContext context, SqsEndpoint.Outcome outcome, long started, AccountBuckets buckets) {
        HttpServerResponse response = context.response();
        if (response.closed()) {
            return;
        }
        HttpReply reply = outcome.reply();
        write(response, reply);
        metrics.record(
                known(outcome.action()), isJson(context.request()), reply.errorCode(), System.nanoTime() - started);
        if (buckets != null) {
            buckets.chargeReply(reply.body().length, System.nanoTime());
        }
        if (config.requestLog()) {
            requestLog.write(
                    outcome.action(),
                    outcome.queue(),
                    reply.status(),
                    started,
                    reply.headers().get("x-amzn-RequestId"));
        }
    }
}
