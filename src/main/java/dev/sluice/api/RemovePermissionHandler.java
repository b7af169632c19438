package dev.sluice.api;

import dev.sluice.auth.QueuePolicy;
import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import dev.sluice.engine.QueueSettings;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** RemovePermission: drops the statements AddPermission added under the label from the queue's Policy attribute. */
final class RemovePermissionHandler implements ActionHandler<RemovePermissionRequest> {
    private final QueueEngine engine;

    RemovePermissionHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public RemovePermissionRequest decode(Params params) {
        return RemovePermissionRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, RemovePermissionRequest request) {
        QueueKey key = caller.queue(request.queueUrl());
        String arn = caller.queueArn(key);
        synchronized (AddPermissionHandler.POLICY_EDITS) {
            QueuePolicy policy =
                    QueuePolicy.parse(engine.queue(key).settings().values().get(QueueSettings.POLICY), arn);
            if (!policy.hasLabel(request.label())) {
                throw AwsErrors.invalidParameter(
                        "Value " + request.label() + " for parameter Label is invalid. Reason: can't find label.");
            }
            QueuePolicy changed = policy.withoutPermission(request.label());
            // An empty value removes the attribute.
            return engine.setAttributes(
                            key, Map.of(QueueSettings.POLICY, changed.hasStatements() ? changed.toJson() : ""))
                    .thenApply(done -> Map.of());
        }
    }
}
