package dev.sluice.server;

import dev.sluice.api.Caller;
import dev.sluice.auth.OpenModeAccounts;
import dev.sluice.protocol.HttpReply;
import dev.sluice.protocol.SqsEndpoint;
import dev.sluice.protocol.WireRequest;
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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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
    private static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private final SqsEndpoint endpoint;
    private final SluiceConfig config;
    private final OpenModeAccounts accounts;

    SqsRoutes(SqsEndpoint endpoint, SluiceConfig config) {
        this.endpoint = endpoint;
        this.config = config;
        this.accounts = new OpenModeAccounts(config.accountId());
    }

    void start(@Observes StartupEvent event) {
        // Forces the engine (and the store's recovery) to load at start rather than on the first request.
    }

    void routes(@Observes Router router) {
        router.routeWithRegex("^/(?!q/).*")
                .method(HttpMethod.POST)
                .method(HttpMethod.GET)
                .handler(this::readBody);
    }

    /**
     * Reads the body as raw bytes. Not Vert.x's BodyHandler: for form content it also decodes the form, with a
     * 2 KiB limit per field, and the query protocol decodes it itself.
     */
    private void readBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > MAX_BODY_BYTES)) {
            context.response().setStatusCode(413).end();
            return;
        }
        request.body().onComplete(read -> {
            if (read.succeeded()) {
                handle(context, read.result());
            } else if (!context.response().ended()) {
                context.response().setStatusCode(400).end();
            }
        });
        // Quarkus hands requests to routes paused; reading the body needs the stream flowing again.
        request.resume();
    }

    private void handle(RoutingContext context, Buffer body) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        HttpServerRequest request = context.request();
        Map<String, String> headers = new HashMap<>();
        request.headers()
                .forEach(header ->
                        headers.putIfAbsent(header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue()));
        WireRequest wire = new WireRequest(
                request.method().name(), request.query(), headers, body == null ? new byte[0] : body.getBytes());
        String baseUrl = config.baseUrl().orElseGet(() -> request.scheme() + "://" + request.authority());
        String path = request.path();
        String pathQueueUrl = path == null || path.equals("/") || path.isEmpty() ? null : baseUrl + path;
        Caller caller = new Caller(
                accounts.accountFor(headers.get("authorization"), request.query()),
                baseUrl,
                pathQueueUrl,
                config.region());
        Context vertxContext = Vertx.currentContext();
        endpoint.handle(wire, caller, requestId).whenComplete((outcome, failure) -> {
            if (Vertx.currentContext() == vertxContext) {
                reply(context, outcome, failure, started);
            } else {
                vertxContext.runOnContext(ignored -> reply(context, outcome, failure, started));
            }
        });
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
