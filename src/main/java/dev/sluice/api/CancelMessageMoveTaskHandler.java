package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

final class CancelMessageMoveTaskHandler implements ActionHandler<CancelMessageMoveTaskRequest> {
    private final Queues queues;

    CancelMessageMoveTaskHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public CancelMessageMoveTaskRequest decode(Params params) {
        return CancelMessageMoveTaskRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, CancelMessageMoveTaskRequest request) {
        Optional<QueueKey> source = MoveTaskArns.sourceOfHandle(caller, request.taskHandle());
        // A malformed handle names no queue to check: the backend reports it as InvalidParameterValue.
        CompletionStage<Long> cancelled = source.isPresent()
                ? caller.withQueue(source.get(), checked -> queues.cancelMessageMoveTask(request.taskHandle()))
                : queues.cancelMessageMoveTask(request.taskHandle());
        return cancelled.thenApply(moved ->
                Wire.result().put("ApproximateNumberOfMessagesMoved", moved).build());
    }
}
