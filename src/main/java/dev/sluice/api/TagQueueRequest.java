package dev.sluice.api;

import java.util.Map;

public record TagQueueRequest(String queueUrl, Map<String, String> tags) {

    static TagQueueRequest from(Params params) {
        if (!params.has("Tags")) {
            throw AwsErrors.missingParameter("Tags");
        }
        return new TagQueueRequest(params.string("QueueUrl"), params.stringMap("Tags"));
    }
}
