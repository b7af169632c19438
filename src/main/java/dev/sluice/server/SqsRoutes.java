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
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
    /** Room for a 1 MiB batch even when URL- or JSON-escaping triples it. */
    private static final java.util.regex.Pattern CONTENT_LENGTH = java.util.regex.Pattern.compile("\\d{1,18}");

    private static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private final SqsEndpoint endpoint;
    private final SluiceConfig config;
    private final OpenModeAccounts accounts;
    private final SigV4Verifier verifier;
    private final AuthFailures failures;
    private final boolean sigv4;

    private final TenantAccess tenantAccess;

    SqsRoutes(
            SqsEndpoint endpoint,
            SluiceConfig config,
            SigV4Verifier verifier,
            AuthFailures failures,
            TenantAccess tenantAccess) {
        this.tenantAccess = tenantAccess;
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
        router.routeWithRegex("^/(?!q/|admin/).*")
                .method(HttpMethod.POST)
                .method(HttpMethod.GET)
                .handler(this::readBody);
    }

    /**
     * Reads the body as raw bytes, straight into one array of the declared length (chunked bodies grow one, up to
     * {@link #MAX_BODY_BYTES}). Not Vert.x's BodyHandler, which for form content also decodes the form with a 2 KiB
     * limit per field (the query protocol decodes it itself), nor {@code request.body()}, which grows a buffer chunk by
     * chunk and then needs a copy.
     */
    private void readBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader("Content-Length");
        if (length != null && (!CONTENT_LENGTH.matcher(length).matches() || Long.parseLong(length) > MAX_BODY_BYTES)) {
            context.response().setStatusCode(413).end();
            return;
        }
        RequestBody body = new RequestBody(length == null ? -1 : Integer.parseInt(length), (int) MAX_BODY_BYTES);
        request.handler(chunk -> {
            if (!body.append(chunk) && !context.response().ended()) {
                context.response().setStatusCode(413).end();
                request.connection().close();
            }
        });
        request.exceptionHandler(failure -> {
            if (!context.response().ended()) {
                context.response().setStatusCode(400).end();
            }
        });
        request.endHandler(ignored -> {
            if (!context.response().ended()) {
                handle(context, body.bytes());
            }
        });
        // Quarkus hands requests to routes paused; reading the body needs the stream flowing again.
        request.resume();
    }

    private void handle(RoutingContext context, byte[] body) {
        long started = System.nanoTime();
        String requestId = IdSource.randomUuid();
        HttpServerRequest request = context.request();
        Map<String, String> headers = new RequestHeaders(request.headers());
        WireRequest wire = new WireRequest(request.method().name(), request.query(), headers, body);
        String baseUrl = config.baseUrl().orElseGet(() -> request.scheme() + "://" + request.authority());
        String path = request.path();
        String pathQueueUrl = path == null || path.equals("/") || path.isEmpty() ? null : baseUrl + path;
        String accountId;
        if (sigv4) {
            try {
                accountId = verifier.verify(signedRequest(request, wire.body())).accountId();
            } catch (AuthException e) {
                AwsException error = AwsErrors.translate(e);
                failures.record(error.error().queryCode());
                reply(
                        context,
                        new SqsEndpoint.Outcome(null, null, endpoint.reject(wire, error, requestId)),
                        null,
                        started);
                return;
            }
        } else {
            accountId = accounts.accountFor(headers.get("authorization"), request.query());
        }
        Caller caller = new Caller(accountId, baseUrl, pathQueueUrl, config.region());
        if (sigv4) {
            caller = caller.withAccess(tenantAccess);
        }
        Context vertxContext = Vertx.currentContext();
        Executor onEventLoop = task -> {
            if (Vertx.currentContext() == vertxContext) {
                task.run();
            } else {
                vertxContext.runOnContext(ignored -> task.run());
            }
        };
        endpoint.handle(wire, caller, requestId, onEventLoop)
                .whenCompleteAsync((outcome, failure) -> reply(context, outcome, failure, started), onEventLoop);
    }

    /** The request as SigV4 signed it: raw path and query, every value of every header. */
    private static SigV4Verifier.Request signedRequest(HttpServerRequest request, byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        request.headers()
                .forEach(header -> headers.computeIfAbsent(
                                header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>(1))
                        .add(header.getValue()));
        if (!headers.containsKey("host") && request.authority() != null) {
            // HTTP/2 carries the host as :authority, which the client signed as "host".
            headers.put("host", List.of(request.authority().toString()));
        }
        return new SigV4Verifier.Request(request.method().name(), request.path(), request.query(), headers, body);
    }

    private void reply(RoutingContext context, SqsEndpoint.Outcome outcome, Throwable failure, long started) {
        HttpServerResponse response = context.response();
        if (failure != null || response.closed()) {
            if (!response.closed()) {
                response.setStatusCode(500).end();
            }
            return;
        }
        HttpReply reply = outcome.reply();
        response.setStatusCode(reply.status());
        response.putHeader("Content-Type", reply.contentType());
        reply.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(reply.body()));
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
