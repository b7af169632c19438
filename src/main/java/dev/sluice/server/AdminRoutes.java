package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.TenantException;
import dev.sluice.auth.Tenants;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The admin API: JSON over HTTP under {@code /admin/} on the SQS port, for tenants and their access keys, guarded by
 * {@code Authorization: Bearer <sluice.admin.token>}. Without a configured token every path answers 404, as if the API
 * did not exist. A key's secret appears once, in the reply that creates it; listings never show secrets.
 *
 * <pre>
 * GET    /admin/tenants                      list tenants
 * POST   /admin/tenants                      {"accountId", "name"?, "maxQueues"?, "maxMessages"?} create
 * GET    /admin/tenants/{account}            one tenant and its keys
 * POST   /admin/tenants/{account}/disable    (and /enable)
 * DELETE /admin/tenants/{account}            the tenant and its keys
 * GET    /admin/tenants/{account}/keys       its keys, without secrets
 * POST   /admin/tenants/{account}/keys       a new key; the reply holds its secret
 * POST   /admin/keys/{keyId}/disable         (and /enable)
 * DELETE /admin/keys/{keyId}
 * GET    /admin/metrics                      failed authentication counts
 * </pre>
 */
@ApplicationScoped
public class AdminRoutes {
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private final Tenants tenants;
    private final AuthFailures failures;
    private final Optional<byte[]> token;

    AdminRoutes(Tenants tenants, AuthFailures failures, SluiceConfig config) {
        this.tenants = tenants;
        this.failures = failures;
        this.token = config.admin()
                .token()
                .filter(value -> !value.isBlank())
                .map(value -> ("Bearer " + value).getBytes(StandardCharsets.UTF_8));
    }

    void routes(@Observes Router router) {
        router.routeWithRegex("^/admin/.*").handler(this::readBody);
    }

    private void readBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (token.isEmpty()) {
            send(context, 404, Map.of("error", "the admin API is disabled: set sluice.admin.token"));
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null
                || !MessageDigest.isEqual(token.get(), authorization.getBytes(StandardCharsets.UTF_8))) {
            send(context, 401, Map.of("error", "a valid 'Authorization: Bearer <admin token>' header is required"));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > MAX_BODY_BYTES)) {
            send(context, 413, Map.of("error", "body too large"));
            return;
        }
        request.body().onComplete(read -> {
            if (read.failed()) {
                send(context, 400, Map.of("error", "cannot read the body"));
                return;
            }
            Context vertxContext = Vertx.currentContext();
            CompletionStage<Reply> reply;
            try {
                reply = dispatch(request.method().name(), request.path(), read.result());
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((done, failure) -> vertxContext.runOnContext(ignored -> {
                if (failure == null) {
                    send(context, done.status(), done.body());
                } else {
                    fail(context, failure);
                }
            }));
        });
        request.resume();
    }

    private record Reply(int status, Object body) {}

    private CompletionStage<Reply> dispatch(String method, String path, Buffer body) {
        String[] p = path.replaceAll("^/admin/|/+$", "").split("/");
        String route = method + " " + String.join("/", shape(p));
        return switch (route) {
            case "GET tenants" ->
                done(200, tenants.list().stream().map(AdminRoutes::tenantJson).toList());
            case "POST tenants" -> {
                JsonNode json = parse(body);
                yield tenants.createTenant(
                                text(json, "accountId"),
                                text(json, "name"),
                                json.hasNonNull("maxQueues")
                                        ? json.get("maxQueues").asInt()
                                        : null,
                                json.hasNonNull("maxMessages")
                                        ? json.get("maxMessages").asLong()
                                        : null)
                        .thenApply(tenant -> new Reply(201, tenantJson(tenant)));
            }
            case "GET tenants/*" -> {
                Tenant tenant = tenants.tenant(p[1])
                        .orElseThrow(() -> new TenantException(TenantException.Reason.NOT_FOUND, "no tenant " + p[1]));
                Map<String, Object> json = tenantJson(tenant);
                json.put("accessKeys", keysJson(tenants.keys(p[1])));
                yield done(200, json);
            }
            case "POST tenants/*/disable", "POST tenants/*/enable" ->
                tenants.setTenantEnabled(p[1], p[2].equals("enable"))
                        .thenApply(tenant -> new Reply(200, tenantJson(tenant)));
            case "DELETE tenants/*" -> tenants.deleteTenant(p[1]).thenApply(done -> new Reply(204, null));
            case "GET tenants/*/keys" -> done(200, keysJson(tenants.keys(p[1])));
            case "POST tenants/*/keys" ->
                tenants.createKey(p[1]).thenApply(key -> {
                    Map<String, Object> json = keyJson(key);
                    json.put("secretAccessKey", key.secret());
                    return new Reply(201, json);
                });
            case "POST keys/*/disable", "POST keys/*/enable" ->
                tenants.setKeyEnabled(p[1], p[2].equals("enable")).thenApply(key -> new Reply(200, keyJson(key)));
            case "DELETE keys/*" -> tenants.deleteKey(p[1]).thenApply(done -> new Reply(204, null));
            case "GET metrics" -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("authFailuresTotal", failures.total());
                json.put("authFailures", failures.byCode());
                yield done(200, json);
            }
            default -> done(404, Map.of("error", "no such admin resource: " + method + " " + path));
        };
    }

    /** The path with its variable segments (account ids, key ids) replaced by "*". */
    private static List<String> shape(String[] segments) {
        return java.util.stream.IntStream.range(0, segments.length)
                .mapToObj(i -> i == 1 && segments.length > 1 ? "*" : segments[i])
                .toList();
    }

    private static CompletionStage<Reply> done(int status, Object body) {
        return CompletableFuture.completedFuture(new Reply(status, body));
    }

    private static JsonNode parse(Buffer body) {
        try {
            JsonNode json = JSON.readTree(body == null ? new byte[0] : body.getBytes());
            if (json == null || !json.isObject()) {
                throw new TenantException(TenantException.Reason.INVALID, "the body must be a JSON object");
            }
            return json;
        } catch (java.io.IOException e) {
            throw new TenantException(TenantException.Reason.INVALID, "the body is not JSON");
        }
    }

    private static String text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, Object> tenantJson(Tenant tenant) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accountId", tenant.accountId());
        json.put("name", tenant.name());
        json.put("enabled", tenant.enabled());
        tenant.maxQueues().ifPresent(max -> json.put("maxQueues", max));
        tenant.maxMessages().ifPresent(max -> json.put("maxMessages", max));
        json.put("created", tenant.created().toString());
        return json;
    }

    private static List<Map<String, Object>> keysJson(List<AccessKey> keys) {
        return keys.stream().map(AdminRoutes::keyJson).toList();
    }

    private static Map<String, Object> keyJson(AccessKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accessKeyId", key.accessKeyId());
        json.put("accountId", key.accountId());
        json.put("enabled", key.enabled());
        json.put("created", key.created().toString());
        return json;
    }

    private static void fail(RoutingContext context, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof TenantException tenant) {
            int status = switch (tenant.reason()) {
                case NOT_FOUND -> 404;
                case ALREADY_EXISTS, LIMIT_EXCEEDED -> 409;
                case INVALID -> 400;
            };
            send(context, status, Map.of("error", tenant.getMessage()));
        } else {
            LOG.error("admin request failed", cause);
            send(context, 500, Map.of("error", "internal error"));
        }
    }

    private static void send(RoutingContext context, int status, Object body) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status);
        if (body == null) {
            response.end();
            return;
        }
        try {
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (java.io.IOException e) {
            response.setStatusCode(500).end();
        }
    }
}
