package dev.sluice.api;

import java.util.List;

public record GetQueueAttributesRequest(String queueUrl, List<String> attributeNames) {

    static GetQueueAttributesRequest from(Params params) {
        return new GetQueueAttributesRequest(params.string("QueueUrl"), params.strings("AttributeNames"));
    }
}
