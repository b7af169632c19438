package dev.sluice.api;

import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueKey;
import java.util.Map;
import java.util.concurrent.CompletionStage;

final class StartMessageMoveTaskHandler implements ActionHandler<StartMessageMoveTaskRequest> {
    private final QueueEngine engine;

    StartMessageMoveTaskHandler(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public StartMessageMoveTaskRequest decode(Params params) {
        return StartMessageMoveTaskRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, StartMessageMoveTaskRequest request) {
        QueueKey source = caller.authorize(MoveTaskArns.queueOf("SourceArn", request.sourceArn()));
        QueueKey destination = request.destinationArn() == null
                ? null
                : caller.authorize(MoveTaskArns.queueOf("DestinationArn", request.destinationArn()));
        return engine.startMessageMoveTask(
                        source,
                        request.sourceArn(),
                        destination,
                        request.destinationArn(),
                        request.maxNumberOfMessagesPerSecond())
                .thenApply(handle -> Wire.result().put("TaskHandle", handle).build());
    }
}
