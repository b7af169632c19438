package dev.sluice.api;

import dev.sluice.auth.AuthError;
import dev.sluice.auth.AuthException;
import dev.sluice.auth.CompiledPolicies;
import dev.sluice.auth.RequestContext;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.Tenants;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueSettings;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Queue access in the {@code sigv4} auth mode: a tenant uses its own queues; another account's queue only for the
 * actions its {@code Policy} grants to the tenant (AddPermission writes such grants), evaluated against the request's
 * facts (source address, TLS, the backend's time). Each policy text is compiled once, on its first use.
 *
 * <p>A refused cross-account request gets AccessDenied whether or not the queue exists, with a message naming only the
 * endpoint, so a tenant learns nothing about other tenants' queues. AWS itself answers AccessDenied for an existing
 * queue it may not use; answering the same for a missing one is our choice, as the alternative (NonExistentQueue)
 * would tell which names exist.
 */
public final class TenantAccess implements QueueAccess {
    /**
     * SQS developer guide, "Basic examples of Amazon SQS policies": cross-account permissions do not apply to these
     * actions; only the owner may run them.
     */
    private static final Set<String> OWNER_ONLY = Set.of(
            "AddPermission",
            "RemovePermission",
            "CreateQueue",
            "DeleteQueue",
            "SetQueueAttributes",
            "ListQueues",
            "ListQueueTags",
            "TagQueue",
            "UntagQueue",
            "StartMessageMoveTask",
            "CancelMessageMoveTask",
            "ListMessageMoveTasks");

    /** Batch actions are granted by the action they batch (SQS API reference, each *Batch action). */
    private static final Map<String, String> POLICY_ACTION = Map.of(
            "SendMessageBatch", "SendMessage",
            "DeleteMessageBatch", "DeleteMessage",
            "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");

    private final Queues queues;
    private final InstantSource clock;
    private final Tenants tenants;
    private final CompiledPolicies policies = new CompiledPolicies();
    private final int defaultMaxQueues;

    /**
     * {@code clock}: the backend's, for policy conditions on the time of a request; {@code defaultMaxQueues}: the
     * queue limit of a tenant that has none of its own.
     */
    public TenantAccess(Queues queues, InstantSource clock, Tenants tenants, int defaultMaxQueues) {
        this.queues = queues;
        this.clock = clock;
        this.tenants = tenants;
        this.defaultMaxQueues = defaultMaxQueues;
    }

    @Override
    public CompletionStage<Void> check(Caller caller, QueueKey queue) {
        if (queue.accountId().equals(caller.accountId())) {
            return ALLOWED;
        }
        String action = caller.action();
        if (action == null || OWNER_ONLY.contains(action)) {
            throw denied(caller);
        }
        CompletionStage<QueueInfo> described;
        try {
            described = queues.describe(queue);
        } catch (QueueException e) {
            described = CompletableFuture.failedStage(e);
        }
        return described.handle((info, failure) -> {
            if (failure != null) {
                if (QueueException.causeOf(failure) != null) {
                    throw denied(caller);
                }
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            RequestContext request = new RequestContext(
                    caller.accountId(),
                    POLICY_ACTION.getOrDefault(action, action),
                    caller.queueArn(queue),
                    caller.sourceIp(),
                    caller.secureTransport(),
                    clock.millis());
            if (!policies.of(info.settings().values().get(QueueSettings.POLICY)).allows(request)) {
                throw denied(caller);
            }
            return null;
        });
    }

    /**
     * A tenant's maxQueues, or the default every tenant without one gets ({@code sluice.auth.default-max-queues}):
     * AWS has no such limit per account, but on a shared service one tenant must not be able to create queues without
     * end. The backend checks it as it creates the queue.
     */
    @Override
    public int maxQueues(String accountId) {
        return tenants.tenant(accountId).flatMap(Tenant::maxQueues).orElse(defaultMaxQueues);
    }

    /** A tenant's maxMessages; the backend reserves a send's messages against it atomically. */
    @Override
    public long maxMessages(String accountId) {
        return tenants.tenant(accountId).flatMap(Tenant::maxMessages).orElse(Long.MAX_VALUE);
    }

    private static AuthException denied(Caller caller) {
        // SQS's own wording names the endpoint, not the queue.
        return new AuthException(
                AuthError.ACCESS_DENIED, "Access to the resource " + caller.baseUrl() + "/ is denied.");
    }
}
