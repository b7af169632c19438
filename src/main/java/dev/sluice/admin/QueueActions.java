package dev.sluice.admin;

import dev.sluice.api.Caller;
import dev.sluice.api.Params;
import dev.sluice.api.QueueAccess;
import dev.sluice.api.SqsApi;
import dev.sluice.api.TenantAccess;
import dev.sluice.auth.RegionName;
import dev.sluice.queues.QueueKey;
import dev.sluice.server.SluiceConfig;
import dev.sluice.server.SqsRoutes;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs SQS actions on a queue for an admin API principal through the same handlers as the SQS surface, so a send from
 * the console obeys every rule an SDK's does (sizes, characters, attributes, FIFO ids, a tenant's message limit). The
 * caller is the queue's owner: the operator acts as the owner of any queue, a tenant only reaches its own.
 */
@ApplicationScoped
public class QueueActions {
    private final SqsApi api;
    private final TenantAccess tenantAccess;
    private final SluiceConfig config;
    private final boolean sigv4;

    QueueActions(SqsApi api, TenantAccess tenantAccess, SluiceConfig config) {
        this.api = api;
        this.tenantAccess = tenantAccess;
        this.config = config;
        this.sigv4 = config.auth().mode() == SluiceConfig.AuthMode.sigv4;
    }

    /** The queue's attributes as GetQueueAttributes with All reports them. */
    @SuppressWarnings("unchecked")
    CompletionStage<Map<String, String>> attributes(Principal principal, QueueKey queue, HttpServerRequest request) {
        Caller caller = caller(principal, queue, request);
        return api.invoke(
                        "GetQueueAttributes",
                        caller,
                        new Params(Map.of("QueueUrl", caller.queueUrl(queue), "AttributeNames", List.of("All"))))
                .thenApply(result -> (Map<String, String>) result.getOrDefault("Attributes", Map.of()));
    }

    /** SendMessage with the members named as in the SQS API (MessageBody, MessageAttributes, …); its result. */
    CompletionStage<Map<String, Object>> send(
            Principal principal, QueueKey queue, HttpServerRequest request, Map<String, Object> members) {
        Caller caller = caller(principal, queue, request);
        Map<String, Object> withUrl = new java.util.LinkedHashMap<>(members);
        withUrl.put("QueueUrl", caller.queueUrl(queue));
        return api.invoke("SendMessage", caller, new Params(withUrl));
    }

    /**
     * The queue an admin path names: its account and name, in the region of the {@code region} query parameter, or the
     * default region ({@code sluice.region}) without one.
     */
    QueueKey key(String region, String accountId, String queueName) {
        if (region != null && !RegionName.isRegion(region)) {
            throw ProblemException.invalid("region " + region + " is not a region name (like us-east-1)");
        }
        return new QueueKey(region == null ? config.region() : region, accountId, queueName);
    }

    String queueUrl(QueueKey queue, HttpServerRequest request) {
        return owner(queue, request).queueUrl(queue);
    }

    String queueArn(QueueKey queue, HttpServerRequest request) {
        return owner(queue, request).queueArn(queue);
    }

    private Caller owner(QueueKey queue, HttpServerRequest request) {
        return new Caller(
                queue.accountId(),
                baseUrl(request),
                null,
                queue.region(),
                config.region(),
                null,
                false,
                QueueAccess.ANY,
                null);
    }

    private Caller caller(Principal principal, QueueKey queue, HttpServerRequest request) {
        QueueKey authorized = principal.authorize(queue);
        if (principal.admin() || !sigv4) {
            return owner(authorized, request);
        }
        return new Caller(
                authorized.accountId(),
                baseUrl(request),
                null,
                authorized.region(),
                config.region(),
                SqsRoutes.sourceIp(request),
                request.isSSL(),
                tenantAccess,
                null);
    }

    private String baseUrl(HttpServerRequest request) {
        return config.baseUrl().orElseGet(() -> request.scheme() + "://" + request.authority());
    }
}
