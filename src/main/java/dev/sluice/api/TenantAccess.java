package dev.sluice.api;

import dev.sluice.auth.AuthError;
import dev.sluice.auth.AuthException;
import dev.sluice.auth.QueuePolicy;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.Tenants;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueSettings;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Queue access in the {@code sigv4} auth mode: a tenant uses its own queues; another account's queue only for the
 * actions its {@code Policy} grants to the tenant (AddPermission writes such grants).
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
    private final Tenants tenants;

    public TenantAccess(Queues queues, Tenants tenants) {
        this.queues = queues;
        this.tenants = tenants;
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
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof QueueException) {
                    throw denied(caller);
                }
                throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
            }
            String arn = caller.queueArn(queue);
            QueuePolicy policy = QueuePolicy.parse(info.settings().values().get(QueueSettings.POLICY), arn);
            if (!policy.allows(caller.accountId(), POLICY_ACTION.getOrDefault(action, action), arn)) {
                throw denied(caller);
            }
            return null;
        });
    }

    /**
     * A tenant's limits: CreateQueue of a new name beyond maxQueues, and a send that would take the messages stored in
     * the tenant's queues beyond maxMessages, are OverLimit.
     */
    @Override
    public CompletionStage<Void> admit(Caller caller, String action, Params params) {
        if ("SendMessage".equals(action) || "SendMessageBatch".equals(action)) {
            int sending =
                    "SendMessage".equals(action) ? 1 : params.structs("Entries").size();
            // The limit is the queue owner's: its queues hold the messages, whoever sends them.
            return caller.withQueue(params.string("QueueUrl"), queue -> admitMessages(queue.accountId(), sending));
        }
        if (!"CreateQueue".equals(action)) {
            return ALLOWED;
        }
        Integer max =
                tenants.tenant(caller.accountId()).flatMap(Tenant::maxQueues).orElse(null);
        String name = params.string("QueueName");
        if (max == null || name == null) {
            return ALLOWED;
        }
        return queues.queueNames(caller.accountId(), "").thenAccept(names -> {
            if (names.size() >= max && !names.contains(name)) {
                throw new AwsException(
                        AwsErrors.OVER_LIMIT,
                        "You have reached the limit of " + max + " queues for account " + caller.accountId() + ".");
            }
        });
    }

    private CompletionStage<Void> admitMessages(String owner, int sending) {
        Long max = tenants.tenant(owner).flatMap(Tenant::maxMessages).orElse(null);
        if (max == null) {
            return ALLOWED;
        }
        return queues.messageCount(owner).thenAccept(count -> {
            if (count + sending > max) {
                throw new AwsException(
                        AwsErrors.OVER_LIMIT,
                        "You have reached the limit of " + max + " stored messages for account " + owner + ".");
            }
        });
    }

    private static AuthException denied(Caller caller) {
        // SQS's own wording names the endpoint, not the queue.
        return new AuthException(
                AuthError.ACCESS_DENIED, "Access to the resource " + caller.baseUrl() + "/ is denied.");
    }
}
