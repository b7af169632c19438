package dev.sluice.api;

public record CancelMessageMoveTaskRequest(String taskHandle) {

    static CancelMessageMoveTaskRequest from(Params params) {
        return new CancelMessageMoveTaskRequest(params.requiredString("TaskHandle"));
    }
}
