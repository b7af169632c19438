package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.StartMoveTask;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class StartMessageMoveTaskHandler implements ActionHandler<StartMessageMoveTaskRequest> {
    private final Queues queues;

    StartMessageMoveTaskHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public StartMessageMoveTaskRequest decode(Params params) {
        return StartMessageMoveTaskRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, StartMessageMoveTaskRequest request) {
        return caller.withQueue(MoveTaskArns.sourceOf(caller, request.sourceArn()), source -> {
                    if (request.destinationArn() == null) {
                        return queues.startMessageMoveTask(task(request, source, null));
                    }
                    return caller.withQueue(
                            MoveTaskArns.destinationOf(caller, request.destinationArn()),
                            destination -> queues.startMessageMoveTask(task(request, source, destination)));
                })
                .thenApply(handle -> Wire.result().put("TaskHandle", handle).build());
    }

    private static StartMoveTask task(StartMessageMoveTaskRequest request, QueueKey source, QueueKey destination) {
        return new StartMoveTask(
                source,
                request.sourceArn(),
                destination,
                request.destinationArn(),
                request.maxNumberOfMessagesPerSecond());
    }
}
