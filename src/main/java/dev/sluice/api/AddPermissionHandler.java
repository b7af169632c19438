package dev.sluice.api;

import dev.sluice.auth.QueuePolicy;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * AddPermission: adds a statement to the queue's Policy attribute, as SQS does (the policy then shows it with the label
 * as Sid). The backend makes the read-modify-write of the policy atomic ({@code Queues.editPolicy}), so two grants at
 * once both land, on any replica.
 */
final class AddPermissionHandler implements ActionHandler<AddPermissionRequest> {
    /** AddPermission API reference: a label is up to 80 alphanumeric characters, hyphens or underscores. */
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** SQS quotas: at most 7 actions per statement. */
    private static final int MAX_ACTIONS = 7;
    /** The actions a queue can be shared for (AddPermission API reference, ActionName.N). */
    private static final Set<String> SHAREABLE = Set.of(
            "*",
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
            "ChangeMessageVisibility",
            "GetQueueAttributes",
            "GetQueueUrl",
            "PurgeQueue",
            "ListDeadLetterSourceQueues");

    private final Queues queues;

    AddPermissionHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public AddPermissionRequest decode(Params params) {
        return AddPermissionRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, AddPermissionRequest request) {
        return caller.withQueue(request.queueUrl(), key -> addPermission(caller, key, request))
                .thenApply(done -> Map.of());
    }

    private CompletionStage<Void> addPermission(Caller caller, QueueKey key, AddPermissionRequest request) {
        checkLabel(request.label());
        if (request.actions().isEmpty()) {
            throw AwsErrors.missingParameter("Actions");
        }
        if (request.awsAccountIds().isEmpty()) {
            throw AwsErrors.missingParameter("AWSAccountIds");
        }
        if (request.actions().size() > MAX_ACTIONS) {
            throw new AwsException(
                    AwsErrors.OVER_LIMIT, "Maximum number of actions exceeded. The limit is " + MAX_ACTIONS + ".");
        }
        for (String action : request.actions()) {
            if (!SHAREABLE.contains(action.replaceFirst("(?i)^sqs:", ""))) {
                throw AwsErrors.invalidParameter("Value SQS:" + action
                        + " for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a"
                        + " list of valid actions.");
            }
        }
        for (String account : request.awsAccountIds()) {
            if (!account.matches("\\d{12}")) {
                throw AwsErrors.invalidParameter(
                        "Value " + account + " for parameter PrincipalId is invalid. Reason: Unable to verify.");
            }
        }
        String arn = caller.queueArn(key);
        return queues.editPolicy(key, current -> {
            QueuePolicy policy = QueuePolicy.parse(current, arn);
            if (policy.hasLabel(request.label())) {
                throw AwsErrors.invalidParameter(
                        "Value " + request.label() + " for parameter Label is invalid. Reason: Already exists.");
            }
            return policy.withPermission(
                            request.label(),
                            request.awsAccountIds(),
                            request.actions().stream()
                                    .map(action -> action.replaceFirst("(?i)^sqs:", ""))
                                    .toList(),
                            arn)
                    .toJson();
        });
    }

    static void checkLabel(String label) {
        if (!LABEL.matcher(label).matches()) {
            throw AwsErrors.invalidParameter("Value " + label + " for parameter Label is invalid. Reason: Must be"
                    + " shorter than 80 characters and contain only alphanumeric characters, hyphens or underscores.");
        }
    }
}
