package dev.sluice.api;

public record GetQueueUrlRequest(String queueName, String queueOwnerAwsAccountId) {

    static GetQueueUrlRequest from(Params params) {
        return new GetQueueUrlRequest(params.requiredString("QueueName"), params.string("QueueOwnerAWSAccountId"));
    }
}
