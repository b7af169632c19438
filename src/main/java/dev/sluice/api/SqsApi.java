package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
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

    public SqsApi(QueueEngine engine) {
        this.handlers = Map.ofEntries(
                Map.entry("CreateQueue", new CreateQueueHandler(engine)),
                Map.entry("GetQueueUrl", new GetQueueUrlHandler(engine)),
                Map.entry("ListQueues", new ListQueuesHandler(engine)),
                Map.entry("DeleteQueue", new DeleteQueueHandler(engine)),
                Map.entry("GetQueueAttributes", new GetQueueAttributesHandler(engine)),
                Map.entry("SetQueueAttributes", new SetQueueAttributesHandler(engine)),
                Map.entry("PurgeQueue", new PurgeQueueHandler(engine)),
                Map.entry("SendMessage", new SendMessageHandler(engine)),
                Map.entry("SendMessageBatch", new SendMessageBatchHandler(engine)),
                Map.entry("ReceiveMessage", new ReceiveMessageHandler(engine)),
                Map.entry("DeleteMessage", new DeleteMessageHandler(engine)),
                Map.entry("DeleteMessageBatch", new DeleteMessageBatchHandler(engine)),
                Map.entry("ChangeMessageVisibility", new ChangeMessageVisibilityHandler(engine)),
                Map.entry("ChangeMessageVisibilityBatch", new ChangeMessageVisibilityBatchHandler(engine)),
                Map.entry("TagQueue", new TagQueueHandler(engine)),
                Map.entry("UntagQueue", new UntagQueueHandler(engine)),
                Map.entry("ListQueueTags", new ListQueueTagsHandler(engine)),
                Map.entry("ListDeadLetterSourceQueues", new ListDeadLetterSourceQueuesHandler(engine)),
                Map.entry("StartMessageMoveTask", new StartMessageMoveTaskHandler(engine)),
                Map.entry("CancelMessageMoveTask", new CancelMessageMoveTaskHandler(engine)),
                Map.entry("ListMessageMoveTasks", new ListMessageMoveTasksHandler(engine)),
                Map.entry("AddPermission", new AddPermissionHandler(engine)),
                Map.entry("RemovePermission", new RemovePermissionHandler(engine)));
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
            acting.access().admit(acting, action, params);
            return run(handler, acting, params).exceptionallyCompose(failure -> failed(failure));
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
