package dev.sluice.api;

public record ListMessageMoveTasksRequest(String sourceArn, Integer maxResults) {

    static ListMessageMoveTasksRequest from(Params params) {
        return new ListMessageMoveTasksRequest(params.requiredString("SourceArn"), params.integer("MaxResults"));
    }
}
