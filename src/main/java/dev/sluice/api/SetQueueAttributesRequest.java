package dev.sluice.api;

import java.util.Map;

public record SetQueueAttributesRequest(String queueUrl, Map<String, String> attributes) {

    static SetQueueAttributesRequest from(Params params) {
        if (!params.has("Attributes")) {
            throw AwsErrors.missingParameter("Attributes");
        }
        return new SetQueueAttributesRequest(params.string("QueueUrl"), params.stringMap("Attributes"));
    }
}
