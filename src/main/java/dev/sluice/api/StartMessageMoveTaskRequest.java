package dev.sluice.api;

public record StartMessageMoveTaskRequest(
        String sourceArn, String destinationArn, Integer maxNumberOfMessagesPerSecond) {

    static StartMessageMoveTaskRequest from(Params params) {
        return new StartMessageMoveTaskRequest(
                params.requiredString("SourceArn"),
                params.string("DestinationArn"),
                params.integer("MaxNumberOfMessagesPerSecond"));
    }
}
