package dev.sluice.api;

/** The request of actions that name only a queue: DeleteQueue, PurgeQueue, ListQueueTags. */
public record QueueUrlRequest(String queueUrl) {

    static QueueUrlRequest from(Params params) {
        return new QueueUrlRequest(params.string("QueueUrl"));
    }
}
