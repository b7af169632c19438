package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class CancelMessageMoveTaskHandler implements ActionHandler<CancelMessageMoveTaskRequest> {
    private final QueueEngine engine;

    CancelMessageMoveTaskHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public CancelMessageMoveTaskRequest decode(Params params) {
        return CancelMessageMoveTaskRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, CancelMessageMoveTaskRequest request) {
        MoveTaskArns.sourceOfHandle(request.taskHandle()).ifPresent(caller::authorize);
        return engine.cancelMessageMoveTask(request.taskHandle())
                .thenApply(moved -> Wire.result()
                        .put("ApproximateNumberOfMessagesMoved", moved)
                        .build());
    }
}
