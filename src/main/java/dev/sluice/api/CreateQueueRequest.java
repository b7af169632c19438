package dev.sluice.api;

import java.util.Map;

public record CreateQueueRequest(String queueName, Map<String, String> attributes, Map<String, String> tags) {

    static CreateQueueRequest from(Params params) {
        return new CreateQueueRequest(
                params.requiredString("QueueName"), params.stringMap("Attributes"), params.stringMap("Tags"));
    }
}
