package dev.sluice.compat;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.retry.PredefinedRetryPolicies;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.BatchResultErrorEntry;
import com.amazonaws.services.sqs.model.CancelMessageMoveTaskRequest;
import com.amazonaws.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import com.amazonaws.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.DeleteMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.DeleteMessageBatchResultEntry;
import com.amazonaws.services.sqs.model.GetQueueAttributesRequest;
import com.amazonaws.services.sqs.model.ListDeadLetterSourceQueuesRequest;
import com.amazonaws.services.sqs.model.ListMessageMoveTasksRequest;
import com.amazonaws.services.sqs.model.ListQueuesRequest;
import com.amazonaws.services.sqs.model.Message;
import com.amazonaws.services.sqs.model.MessageAttributeValue;
import com.amazonaws.services.sqs.model.MessageSystemAttributeValue;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageRequest;
import com.amazonaws.services.sqs.model.StartMessageMoveTaskRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link SqsPort} over the AWS SDK for Java v1 at 1.12.500, which speaks the query protocol: form-encoded requests,
 * XML replies. The v1 client also moves the QueueUrl into the request path ({@code POST /000000000000/name}), so this
 * port exercises queue-URL routing too. Retries are off so an error reaches the test as the server sent it; the SDK's
 * MessageMD5ChecksumHandler stays on.
 */
public final class SdkV1Port implements SqsPort {
    private static final String TRACE_ID_HEADER = "X-Amzn-Trace-Id";

    private final URI endpoint;
    private final AmazonSQS sqs;

    public SdkV1Port(URI endpoint) {
        this.endpoint = endpoint;
        ClientConfiguration config = new ClientConfiguration()
                .withRetryPolicy(PredefinedRetryPolicies.NO_RETRY_POLICY)
                .withMaxErrorRetry(0)
                .withConnectionTimeout(5_000)
                // Longer than the longest long poll (WaitTimeSeconds=20).
                .withSocketTimeout(40_000);
        this.sqs = AmazonSQSClientBuilder.standard()
                .withCredentials(new AWSStaticCredentialsProvider(
                        new BasicAWSCredentials(Credentials.ACCESS_KEY_ID, Credentials.SECRET_ACCESS_KEY)))
                .withEndpointConfiguration(new EndpointConfiguration(endpoint.toString(), Credentials.REGION))
                .withClientConfiguration(config)
                .build();
    }

    @Override
    public String protocol() {
        return "query";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String createQueue(String queueName, Map<String, String> attributes, Map<String, String> tags) {
        var request = new CreateQueueRequest(queueName);
        if (!attributes.isEmpty()) {
            request.setAttributes(attributes);
        }
        if (!tags.isEmpty()) {
            request.setTags(tags);
        }
        return call(() -> sqs.createQueue(request).getQueueUrl());
    }

    @Override
    public String getQueueUrl(String queueName) {
        return call(() -> sqs.getQueueUrl(queueName).getQueueUrl());
    }

    @Override
    public QueueListing listQueues(String queueNamePrefix, Integer maxResults, String nextToken) {
        var request = new ListQueuesRequest()
                .withQueueNamePrefix(queueNamePrefix)
                .withMaxResults(maxResults)
                .withNextToken(nextToken);
        return call(() -> {
            var result = sqs.listQueues(request);
            return new QueueListing(List.copyOf(result.getQueueUrls()), result.getNextToken());
        });
    }

    @Override
    public void deleteQueue(String queueUrl) {
        run(() -> sqs.deleteQueue(queueUrl));
    }

    @Override
    public Map<String, String> getQueueAttributes(String queueUrl, List<String> attributeNames) {
        var request = new GetQueueAttributesRequest(queueUrl);
        if (attributeNames != null) {
            request.setAttributeNames(attributeNames);
        }
        return call(() -> Map.copyOf(sqs.getQueueAttributes(request).getAttributes()));
    }

    @Override
    public void setQueueAttributes(String queueUrl, Map<String, String> attributes) {
        run(() -> sqs.setQueueAttributes(queueUrl, attributes));
    }

    @Override
    public void purgeQueue(String queueUrl) {
        run(() -> sqs.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(queueUrl)));
    }

    @Override
    public SentMessage sendMessage(String queueUrl, OutgoingMessage message, String xAmznTraceId) {
        var request = new SendMessageRequest(queueUrl, message.body())
                .withDelaySeconds(message.delaySeconds())
                .withMessageGroupId(message.messageGroupId())
                .withMessageDeduplicationId(message.messageDeduplicationId());
        if (!message.attributes().isEmpty()) {
            request.setMessageAttributes(toSdk(message.attributes()));
        }
        if (message.awsTraceHeader() != null) {
            request.setMessageSystemAttributes(traceHeader(message.awsTraceHeader()));
        }
        if (xAmznTraceId != null) {
            request.putCustomRequestHeader(TRACE_ID_HEADER, xAmznTraceId);
        }
        return call(() -> {
            var result = sqs.sendMessage(request);
            return new SentMessage(
                    result.getMessageId(),
                    result.getMD5OfMessageBody(),
                    result.getMD5OfMessageAttributes(),
                    result.getMD5OfMessageSystemAttributes(),
                    result.getSequenceNumber());
        });
    }

    @Override
    public SendBatchResult sendMessageBatch(String queueUrl, List<SendBatchEntry> entries, String xAmznTraceId) {
        List<SendMessageBatchRequestEntry> sdkEntries = entries.stream()
                .map(entry -> {
                    var message = entry.message();
                    var sdkEntry = new SendMessageBatchRequestEntry(entry.id(), message.body())
                            .withDelaySeconds(message.delaySeconds())
                            .withMessageGroupId(message.messageGroupId())
                            .withMessageDeduplicationId(message.messageDeduplicationId());
                    if (!message.attributes().isEmpty()) {
                        sdkEntry.setMessageAttributes(toSdk(message.attributes()));
                    }
                    if (message.awsTraceHeader() != null) {
                        sdkEntry.setMessageSystemAttributes(traceHeader(message.awsTraceHeader()));
                    }
                    return sdkEntry;
                })
                .toList();
        var request = new SendMessageBatchRequest(queueUrl, sdkEntries);
        if (xAmznTraceId != null) {
            request.putCustomRequestHeader(TRACE_ID_HEADER, xAmznTraceId);
        }
        return call(() -> {
            var result = sqs.sendMessageBatch(request);
            return new SendBatchResult(
                    result.getSuccessful().stream()
                            .map(ok -> new SentBatchEntry(
                                    ok.getId(),
                                    new SentMessage(
                                            ok.getMessageId(),
                                            ok.getMD5OfMessageBody(),
                                            ok.getMD5OfMessageAttributes(),
                                            ok.getMD5OfMessageSystemAttributes(),
                                            ok.getSequenceNumber())))
                            .toList(),
                    failures(result.getFailed()));
        });
    }

    @Override
    public List<ReceivedMessage> receiveMessage(String queueUrl, ReceiveRequest receive) {
        var request = new ReceiveMessageRequest(queueUrl)
                .withMaxNumberOfMessages(receive.maxNumberOfMessages())
                .withVisibilityTimeout(receive.visibilityTimeout())
                .withWaitTimeSeconds(receive.waitTimeSeconds())
                .withReceiveRequestAttemptId(receive.receiveRequestAttemptId());
        if (receive.attributeNames() != null) {
            request.setAttributeNames(receive.attributeNames());
        }
        if (receive.messageAttributeNames() != null) {
            request.setMessageAttributeNames(receive.messageAttributeNames());
        }
        if (receive.systemAttributeNames() != null) {
            // 1.12.500 predates MessageSystemAttributeNames (added to the API in 2024), so it is sent by hand in the
            // query protocol's flattened-list form. The parameter name mirrors AttributeNames -> "AttributeName.N";
            // unverified against real SQS, which documents the member only for JSON.
            var names = receive.systemAttributeNames();
            for (int i = 0; i < names.size(); i++) {
                request.putCustomQueryParameter("MessageSystemAttributeName." + (i + 1), names.get(i));
            }
        }
        return call(() -> sqs.receiveMessage(request).getMessages().stream()
                .map(SdkV1Port::fromSdk)
                .toList());
    }

    @Override
    public void deleteMessage(String queueUrl, String receiptHandle) {
        run(() -> sqs.deleteMessage(queueUrl, receiptHandle));
    }

    @Override
    public BatchResult deleteMessageBatch(String queueUrl, List<DeleteEntry> entries) {
        var sdkEntries = entries.stream()
                .map(entry -> new DeleteMessageBatchRequestEntry(entry.id(), entry.receiptHandle()))
                .toList();
        return call(() -> {
            var result = sqs.deleteMessageBatch(queueUrl, sdkEntries);
            return new BatchResult(
                    result.getSuccessful().stream()
                            .map(DeleteMessageBatchResultEntry::getId)
                            .toList(),
                    failures(result.getFailed()));
        });
    }

    @Override
    public void changeMessageVisibility(String queueUrl, String receiptHandle, int visibilityTimeout) {
        run(() -> sqs.changeMessageVisibility(queueUrl, receiptHandle, visibilityTimeout));
    }

    @Override
    public BatchResult changeMessageVisibilityBatch(String queueUrl, List<VisibilityEntry> entries) {
        var sdkEntries = entries.stream()
                .map(entry -> new ChangeMessageVisibilityBatchRequestEntry(entry.id(), entry.receiptHandle())
                        .withVisibilityTimeout(entry.visibilityTimeout()))
                .toList();
        return call(() -> {
            var result = sqs.changeMessageVisibilityBatch(queueUrl, sdkEntries);
            return new BatchResult(
                    result.getSuccessful().stream()
                            .map(ChangeMessageVisibilityBatchResultEntry::getId)
                            .toList(),
                    failures(result.getFailed()));
        });
    }

    @Override
    public void tagQueue(String queueUrl, Map<String, String> tags) {
        run(() -> sqs.tagQueue(queueUrl, tags));
    }

    @Override
    public void untagQueue(String queueUrl, List<String> tagKeys) {
        run(() -> sqs.untagQueue(queueUrl, tagKeys));
    }

    @Override
    public Map<String, String> listQueueTags(String queueUrl) {
        return call(() -> {
            var tags = sqs.listQueueTags(queueUrl).getTags();
            return tags == null ? Map.of() : Map.copyOf(tags);
        });
    }

    @Override
    public QueueListing listDeadLetterSourceQueues(String queueUrl, Integer maxResults, String nextToken) {
        var request = new ListDeadLetterSourceQueuesRequest()
                .withQueueUrl(queueUrl)
                .withMaxResults(maxResults)
                .withNextToken(nextToken);
        return call(() -> {
            var result = sqs.listDeadLetterSourceQueues(request);
            return new QueueListing(List.copyOf(result.getQueueUrls()), result.getNextToken());
        });
    }

    @Override
    public String startMessageMoveTask(String sourceArn, String destinationArn, Integer maxNumberOfMessagesPerSecond) {
        var request = new StartMessageMoveTaskRequest()
                .withSourceArn(sourceArn)
                .withDestinationArn(destinationArn)
                .withMaxNumberOfMessagesPerSecond(maxNumberOfMessagesPerSecond);
        return call(() -> sqs.startMessageMoveTask(request).getTaskHandle());
    }

    @Override
    public List<MessageMoveTask> listMessageMoveTasks(String sourceArn, Integer maxResults) {
        var request = new ListMessageMoveTasksRequest().withSourceArn(sourceArn).withMaxResults(maxResults);
        return call(() -> sqs.listMessageMoveTasks(request).getResults().stream()
                .map(task -> new MessageMoveTask(
                        task.getTaskHandle(),
                        task.getStatus(),
                        task.getSourceArn(),
                        task.getDestinationArn(),
                        task.getMaxNumberOfMessagesPerSecond(),
                        task.getApproximateNumberOfMessagesMoved(),
                        task.getApproximateNumberOfMessagesToMove(),
                        task.getFailureReason(),
                        task.getStartedTimestamp()))
                .toList());
    }

    @Override
    public void addPermission(String queueUrl, String label, List<String> awsAccountIds, List<String> actions) {
        run(() -> sqs.addPermission(queueUrl, label, awsAccountIds, actions));
    }

    @Override
    public void removePermission(String queueUrl, String label) {
        run(() -> sqs.removePermission(queueUrl, label));
    }

    @Override
    public long cancelMessageMoveTask(String taskHandle) {
        return call(() -> sqs.cancelMessageMoveTask(new CancelMessageMoveTaskRequest().withTaskHandle(taskHandle))
                .getApproximateNumberOfMessagesMoved());
    }

    @Override
    public void close() {
        sqs.shutdown();
    }

    private static Map<String, MessageAttributeValue> toSdk(Map<String, MessageAttribute> attributes) {
        var sdk = new LinkedHashMap<String, MessageAttributeValue>();
        attributes.forEach((name, attribute) -> {
            var value = new MessageAttributeValue().withDataType(attribute.dataType());
            if (attribute.isBinary()) {
                value.setBinaryValue(ByteBuffer.wrap(attribute.binaryValue().clone()));
            } else {
                value.setStringValue(attribute.stringValue());
            }
            sdk.put(name, value);
        });
        return sdk;
    }

    private static Map<String, MessageSystemAttributeValue> traceHeader(String value) {
        return Map.of(
                "AWSTraceHeader",
                new MessageSystemAttributeValue().withDataType("String").withStringValue(value));
    }

    private static ReceivedMessage fromSdk(Message message) {
        var attributes = new LinkedHashMap<String, MessageAttribute>();
        if (message.getMessageAttributes() != null) {
            message.getMessageAttributes().forEach((name, value) -> attributes.put(name, fromSdk(value)));
        }
        return new ReceivedMessage(
                message.getMessageId(),
                message.getReceiptHandle(),
                message.getBody(),
                message.getMD5OfBody(),
                message.getMD5OfMessageAttributes(),
                message.getAttributes() == null ? Map.of() : Map.copyOf(message.getAttributes()),
                Map.copyOf(attributes));
    }

    private static MessageAttribute fromSdk(MessageAttributeValue value) {
        byte[] binary = null;
        if (value.getBinaryValue() != null) {
            ByteBuffer buffer = value.getBinaryValue().duplicate();
            binary = new byte[buffer.remaining()];
            buffer.get(binary);
        }
        return new MessageAttribute(value.getDataType(), value.getStringValue(), binary);
    }

    private static List<BatchEntryFailure> failures(List<BatchResultErrorEntry> failed) {
        return failed.stream()
                .map(f -> new BatchEntryFailure(
                        f.getId(), f.getCode(), Boolean.TRUE.equals(f.getSenderFault()), f.getMessage()))
                .toList();
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (AmazonServiceException e) {
            throw new SqsError(e.getErrorCode(), e.getStatusCode(), e.getErrorMessage(), e);
        }
    }

    private static void run(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }
}
