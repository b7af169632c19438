package dev.sluice.api;

import dev.sluice.auth.QueuePolicy;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** RemovePermission: drops the statements AddPermission added under the label from the queue's Policy attribute. */
final class RemovePermissionHandler implements ActionHandler<RemovePermissionRequest> {
    private final Queues queues;

    RemovePermissionHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public RemovePermissionRequest decode(Params params) {
        return RemovePermissionRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, RemovePermissionRequest request) {
        return caller.withQueue(request.queueUrl(), key -> removePermission(caller, key, request.label()))
                .thenApply(done -> Map.of());
    }

    private CompletionStage<Void> removePermission(Caller caller, QueueKey key, String label) {
        String arn = caller.queueArn(key);
        return queues.editPolicy(key, current -> {
            QueuePolicy policy = QueuePolicy.parse(current, arn);
            if (!policy.hasLabel(label)) {
                throw AwsErrors.invalidParameter(
                        "Value " + label + " for parameter Label is invalid. Reason: can't find label.");
            }
            QueuePolicy changed = policy.withoutPermission(label);
            // Null removes the attribute.
            return changed.hasStatements() ? changed.toJson() : null;
        });
    }
}
