package dev.sluice.api;

import java.util.List;

public record UntagQueueRequest(String queueUrl, List<String> tagKeys) {

    static UntagQueueRequest from(Params params) {
        if (!params.has("TagKeys")) {
            throw AwsErrors.missingParameter("TagKeys");
        }
        return new UntagQueueRequest(params.string("QueueUrl"), params.strings("TagKeys"));
    }
}
