package dev.sluice.api;

import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** ListMessageMoveTasks: the source's tasks, newest first; MaxResults 1 to 10, default 1 (API reference). */
final class ListMessageMoveTasksHandler implements ActionHandler<ListMessageMoveTasksRequest> {
    private final Queues queues;

    ListMessageMoveTasksHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ListMessageMoveTasksRequest decode(Params params) {
        return ListMessageMoveTasksRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, ListMessageMoveTasksRequest request) {
        int max = request.maxResults() == null ? 1 : request.maxResults();
        if (max < 1 || max > 10) {
            throw AwsErrors.invalidParameter("Value " + max
                    + " for parameter MaxResults is invalid. Reason: MaxResults must be between 1 and 10.");
        }
        return caller.withQueue(
                        MoveTaskArns.sourceOf(caller, request.sourceArn()),
                        source -> queues.listMessageMoveTasks(source, max))
                .thenApply(tasks -> Wire.result()
                        .put(
                                "Results",
                                tasks.stream()
                                        .map(ListMessageMoveTasksHandler::encode)
                                        .toList())
                        .build());
    }

    private static Map<String, Object> encode(MessageMoveTask task) {
        return Wire.result()
                // SQS returns the handle only for a running task.
                .put("TaskHandle", task.status() == MoveTaskStatus.RUNNING ? task.taskHandle() : null)
                .put("Status", task.status().name())
                .put("SourceArn", task.sourceArn())
                .put("DestinationArn", task.destinationArn())
                .put("MaxNumberOfMessagesPerSecond", task.maxNumberOfMessagesPerSecond())
                .put("ApproximateNumberOfMessagesMoved", task.approximateNumberOfMessagesMoved())
                .put("ApproximateNumberOfMessagesToMove", task.approximateNumberOfMessagesToMove())
                .put("FailureReason", task.failureReason())
                .put("StartedTimestamp", task.started().toEpochMilli())
                .build();
    }
}
