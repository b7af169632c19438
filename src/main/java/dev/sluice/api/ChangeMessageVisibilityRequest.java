package dev.sluice.api;

public record ChangeMessageVisibilityRequest(String queueUrl, String receiptHandle, Integer visibilityTimeout) {

    static ChangeMessageVisibilityRequest from(Params params) {
        if (!params.has("VisibilityTimeout")) {
            throw AwsErrors.missingParameter("VisibilityTimeout");
        }
        return new ChangeMessageVisibilityRequest(
                params.string("QueueUrl"), params.requiredString("ReceiptHandle"), params.integer("VisibilityTimeout"));
    }
}
