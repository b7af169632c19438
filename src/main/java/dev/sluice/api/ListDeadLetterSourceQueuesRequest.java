package dev.sluice.api;

public record ListDeadLetterSourceQueuesRequest(String queueUrl, Integer maxResults, String nextToken) {

    static ListDeadLetterSourceQueuesRequest from(Params params) {
        return new ListDeadLetterSourceQueuesRequest(
                params.string("QueueUrl"), params.integer("MaxResults"), params.string("NextToken"));
    }
}
