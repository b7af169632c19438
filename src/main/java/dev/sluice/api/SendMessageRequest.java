package dev.sluice.api;

public record SendMessageRequest(String queueUrl, MessageFields.Sent message) {

    static SendMessageRequest from(Params params) {
        if (!params.has("MessageBody")) {
            throw AwsErrors.missingParameter("MessageBody");
        }
        return new SendMessageRequest(params.string("QueueUrl"), MessageFields.Sent.from(params, params.traceHeader()));
    }
}
