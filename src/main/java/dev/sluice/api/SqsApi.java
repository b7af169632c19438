package dev.sluice.api;

import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The SQS actions by name. Protocols call {@link #invoke} with the decoded member tree; every failure comes back as a
 * failed stage holding an {@link AwsException} (unknown failures are left as they are, for the caller to report as
 * InternalFailure).
 */
public final class SqsApi {
    /** Actions whose response has a result element, even when it is empty. */
    private static final Set<String> WITH_RESULT = Set.of(
            "CreateQueue",
            "GetQueueUrl",
            "ListQueues",
            "GetQueueAttributes",
            "SendMessage",
            "SendMessageBatch",
            "ReceiveMessage",
            "DeleteMessageBatch",
            "ChangeMessageVisibilityBatch",
            "ListQueueTags",
            "ListDeadLetterSourceQueues",
            "StartMessageMoveTask",
            "CancelMessageMoveTask",
            "ListMessageMoveTasks");

    private final Map<String, ActionHandler<?>> handlers;

    public SqsApi(Queues queues) {
        this.handlers = Map.ofEntries(
                Map.entry("CreateQueue", new CreateQueueHandler(queues)),
                Map.entry("GetQueueUrl", new GetQueueUrlHandler(queues)),
                Map.entry("ListQueues", new ListQueuesHandler(queues)),
                Map.entry("DeleteQueue", new DeleteQueueHandler(queues)),
                Map.entry("GetQueueAttributes", new GetQueueAttributesHandler(queues)),
                Map.entry("SetQueueAttributes", new SetQueueAttributesHandler(queues)),
                Map.entry("PurgeQueue", new PurgeQueueHandler(queues)),
                Map.entry("SendMessage", new SendMessageHandler(queues)),
                Map.entry("SendMessageBatch", new SendMessageBatchHandler(queues)),
                Map.entry("ReceiveMessage", new ReceiveMessageHandler(queues)),
                Map.entry("DeleteMessage", new DeleteMessageHandler(queues)),
                Map.entry("DeleteMessageBatch", new DeleteMessageBatchHandler(queues)),
                Map.entry("ChangeMessageVisibility", new ChangeMessageVisibilityHandler(queues)),
                Map.entry("ChangeMessageVisibilityBatch", new ChangeMessageVisibilityBatchHandler(queues)),
                Map.entry("TagQueue", new TagQueueHandler(queues)),
                Map.entry("UntagQueue", new UntagQueueHandler(queues)),
                Map.entry("ListQueueTags", new ListQueueTagsHandler(queues)),
                Map.entry("ListDeadLetterSourceQueues", new ListDeadLetterSourceQueuesHandler(queues)),
                Map.entry("StartMessageMoveTask", new StartMessageMoveTaskHandler(queues)),
                Map.entry("CancelMessageMoveTask", new CancelMessageMoveTaskHandler(queues)),
                Map.entry("ListMessageMoveTasks", new ListMessageMoveTasksHandler(queues)),
                Map.entry("AddPermission", new AddPermissionHandler(queues)),
                Map.entry("RemovePermission", new RemovePermissionHandler(queues)));
    }

    /** Whether the action is part of the SQS API. */
    public boolean knows(String action) {
        return handlers.containsKey(action);
    }

    public static boolean hasResult(String action) {
        return WITH_RESULT.contains(action);
    }

    public CompletionStage<Map<String, Object>> invoke(String action, Caller caller, Params params) {
        try {
            ActionHandler<?> handler = handlers.get(action);
            if (handler == null) {
                throw new AwsException(
                        AwsErrors.INVALID_ACTION, "The action " + action + " is not valid for this endpoint.");
            }
            // SQS: the actions that name no queue are not valid on a queue URL (recorded against AWS in LocalStack's
            // TestSqsQueryApi).
            if (caller.pathQueueUrl() != null && (action.equals("CreateQueue") || action.equals("ListQueues"))) {
                throw new AwsException(
                        AwsErrors.INVALID_ACTION, "The action " + action + " is not valid for this endpoint.");
            }
            Caller acting = caller.acting(action);
            return run(handler, acting, params).exceptionallyCompose(SqsApi::failed);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /**
     * The result of {@link #invoke} could not be sent (its encoding failed): lets the action undo what the result
     * hands out, such as a receive's claim on its messages. Never fails.
     */
    public void undelivered(String action, Caller caller, Params params, Map<String, Object> result) {
        ActionHandler<?> handler = handlers.get(action);
        if (handler != null) {
            try {
                handler.undelivered(caller.acting(action), params, result);
            } catch (RuntimeException e) {
                // Nothing more can be undone; the caller reports the original failure.
            }
        }
    }

    private static <R> CompletionStage<Map<String, Object>> run(
            ActionHandler<R> handler, Caller caller, Params params) {
        return handler.handle(caller, handler.decode(params));
    }

    private static CompletionStage<Map<String, Object>> failed(Throwable failure) {
        AwsException translated = AwsErrors.translate(failure);
        return CompletableFuture.failedFuture(translated != null ? translated : failure);
    }
}
