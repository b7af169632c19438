package dev.sluice.api;

import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * GetQueueAttributes: the set attributes plus the computed ones. No names asks for nothing (SQS returns no
 * attributes then); an unknown name is InvalidAttributeName.
 */
final class GetQueueAttributesHandler implements ActionHandler<GetQueueAttributesRequest> {
    private static final String ALL = "All";
    private static final Set<String> COMPUTED = Set.of(
            "QueueArn",
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
            "CreatedTimestamp",
            "LastModifiedTimestamp");

    private final Queues queues;

    GetQueueAttributesHandler(Queues queues) {
        this.queues = queues;
    }

    @Override
    public GetQueueAttributesRequest decode(Params params) {
        return GetQueueAttributesRequest.from(params);
    }

    @Override
    public CompletionStage<Map<String, Object>> handle(Caller caller, GetQueueAttributesRequest request) {
        for (String name : request.attributeNames()) {
            if (!name.equals(ALL) && !COMPUTED.contains(name) && !QueueSettings.SETTABLE.contains(name)) {
                throw new AwsException(AwsErrors.INVALID_ATTRIBUTE_NAME, "Unknown Attribute " + name + ".");
            }
        }
        return caller.withQueue(request.queueUrl(), queues::describe).thenApply(info -> {
            Map<String, String> all = attributes(caller, info);
            List<String> names = request.attributeNames();
            Map<String, String> selected = new LinkedHashMap<>();
            if (names.contains(ALL)) {
                selected.putAll(all);
            } else {
                names.stream().filter(all::containsKey).forEach(name -> selected.put(name, all.get(name)));
            }
            return Wire.result().put("Attributes", selected).build();
        });
    }

    private static Map<String, String> attributes(Caller caller, QueueInfo info) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("QueueArn", caller.queueArn(info.key()));
        all.put("ApproximateNumberOfMessages", String.valueOf(info.visible()));
        all.put("ApproximateNumberOfMessagesNotVisible", String.valueOf(info.inFlight()));
        all.put("ApproximateNumberOfMessagesDelayed", String.valueOf(info.delayed()));
        all.put("CreatedTimestamp", String.valueOf(info.created().getEpochSecond()));
        all.put("LastModifiedTimestamp", String.valueOf(info.lastModified().getEpochSecond()));
        info.settings().values().forEach((name, value) -> {
            // SQS reports FifoQueue only for FIFO queues.
            if (!name.equals(QueueSettings.FIFO_QUEUE) || info.settings().fifo()) {
                all.put(name, value);
            }
        });
        return all;
    }
}
