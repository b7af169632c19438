package dev.sluice.api;

public record DeleteMessageRequest(String queueUrl, String receiptHandle) {

    static DeleteMessageRequest from(Params params) {
        return new DeleteMessageRequest(params.string("QueueUrl"), params.requiredString("ReceiptHandle"));
    }
}
