package dev.sluice.api;

import java.util.List;

public record AddPermissionRequest(String queueUrl, String label, List<String> awsAccountIds, List<String> actions) {

    static AddPermissionRequest from(Params params) {
        String label = params.requiredString("Label");
        if (!params.has("AWSAccountIds")) {
            throw AwsErrors.missingParameter("AWSAccountIds");
        }
        if (!params.has("Actions")) {
            throw AwsErrors.missingParameter("Actions");
        }
        return new AddPermissionRequest(
                params.string("QueueUrl"), label, params.strings("AWSAccountIds"), params.strings("Actions"));
    }
}
