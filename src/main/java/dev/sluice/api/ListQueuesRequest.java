package dev.sluice.api;

public record ListQueuesRequest(String queueNamePrefix, Integer maxResults, String nextToken) {

    static ListQueuesRequest from(Params params) {
        return new ListQueuesRequest(
                params.string("QueueNamePrefix"), params.integer("MaxResults"), params.string("NextToken"));
    }
}
