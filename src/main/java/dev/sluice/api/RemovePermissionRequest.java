package dev.sluice.api;

public record RemovePermissionRequest(String queueUrl, String label) {

    static RemovePermissionRequest from(Params params) {
        return new RemovePermissionRequest(params.string("QueueUrl"), params.requiredString("Label"));
    }
}
