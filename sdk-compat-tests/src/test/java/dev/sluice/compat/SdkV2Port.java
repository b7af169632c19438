package dev.sluice.compat;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@link SqsPort} over the AWS SDK for Java v2 at 2.59.1, which speaks JSON 1.0 ({@code X-Amz-Target: AmazonSQS.*},
 * {@code x-amzn-query-mode: true}). Because the SQS model is awsQueryCompatible, the SDK reports the error code from
 * the {@code x-amzn-query-error} header, i.e. the same code the query protocol carries. The HTTP client is named
 * explicitly (Apache 5, the SDK's default) so a second client on the class path never changes what runs; retries are
 * off and MD5 checksum validation is explicitly on.
 */
public final class SdkV2Port implements SqsPort {
    private static final String TRACE_ID_HEADER = "X-Amzn-Trace-Id";

    private final URI endpoint;
    private final SqsClient sqs;

    public SdkV2Port(URI endpoint) {
        this.endpoint = endpoint;
        this.sqs = connect(SqsClient.builder(), endpoint)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        // Longer than the longest long poll (WaitTimeSeconds=20).
                        .socketTimeout(Duration.ofSeconds(40)))
                .checksumValidationEnabled(true)
                .build();
    }

    /** A batch of ten entries with the same body (ids e0..e9), for filling a queue. */
    static List<SendMessageBatchRequestEntry> tenOf(String body) {
        List<SendMessageBatchRequestEntry> batch = new java.util.ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            batch.add(SendMessageBatchRequestEntry.builder()
                    .id("e" + i)
                    .messageBody(body)
                    .build());
        }
        return batch;
    }

    /**
     * A v2 client builder (sync or async) pointed at {@code endpoint}: static credentials, the test region, no
     * retries.
     */
    static <B extends AwsClientBuilder<B, ?>> B connect(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Credentials.ACCESS_KEY_ID, Credentials.SECRET_ACCESS_KEY)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    /** The SDK client itself, for libraries built on it (the JMS library). */
    SqsClient client() {
        return sqs;
    }

    @Override
    public String protocol() {
        return "json";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String createQueue(String queueName, Map<String, String> attributes, Map<String, String> tags) {
        return call(() -> sqs.createQueue(b -> {
                    b.queueName(queueName);
                    if (!attributes.isEmpty()) {
                        b.attributesWithStrings(attributes);
                    }
                    if (!tags.isEmpty()) {
                        b.tags(tags);
                    }
                })
                .queueUrl());
    }

    @Override
    public String getQueueUrl(String queueName) {
        return call(() -> sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl());
    }

    @Override
    public QueueListing listQueues(String queueNamePrefix, Integer maxResults, String nextToken) {
        return call(() -> {
            var response = sqs.listQueues(b ->
                    b.queueNamePrefix(queueNamePrefix).maxResults(maxResults).nextToken(nextToken));
            return new QueueListing(List.copyOf(response.queueUrls()), response.nextToken());
        });
    }

    @Override
    public void deleteQueue(String queueUrl) {
        run(() -> sqs.deleteQueue(b -> b.queueUrl(queueUrl)));
    }

    @Override
    public Map<String, String> getQueueAttributes(String queueUrl, List<String> attributeNames) {
        return call(() -> Map.copyOf(sqs.getQueueAttributes(b -> {
                    b.queueUrl(queueUrl);
                    if (attributeNames != null) {
                        b.attributeNamesWithStrings(attributeNames);
                    }
                })
                .attributesAsStrings()));
    }

    @Override
    public void setQueueAttributes(String queueUrl, Map<String, String> attributes) {
        run(() -> sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributesWithStrings(attributes)));
    }

    @Override
    public void purgeQueue(String queueUrl) {
        run(() -> sqs.purgeQueue(b -> b.queueUrl(queueUrl)));
    }

    @Override
    public SentMessage sendMessage(String queueUrl, OutgoingMessage message, String xAmznTraceId) {
        return call(() -> {
            var response = sqs.sendMessage(b -> {
                b.queueUrl(queueUrl)
                        .messageBody(message.body())
                        .delaySeconds(message.delaySeconds())
                        .messageGroupId(message.messageGroupId())
                        .messageDeduplicationId(message.messageDeduplicationId());
                if (!message.attributes().isEmpty()) {
                    b.messageAttributes(toSdk(message.attributes()));
                }
                if (message.awsTraceHeader() != null) {
                    b.messageSystemAttributes(traceHeader(message.awsTraceHeader()));
                }
                if (xAmznTraceId != null) {
                    b.overrideConfiguration(o -> o.putHeader(TRACE_ID_HEADER, xAmznTraceId));
                }
            });
            return new SentMessage(
                    response.messageId(),
                    response.md5OfMessageBody(),
                    response.md5OfMessageAttributes(),
                    response.md5OfMessageSystemAttributes(),
                    response.sequenceNumber());
        });
    }

    @Override
    public SendBatchResult sendMessageBatch(String queueUrl, List<SendBatchEntry> entries, String xAmznTraceId) {
        var sdkEntries = entries.stream()
                .map(entry -> {
                    var message = entry.message();
                    var b = SendMessageBatchRequestEntry.builder()
                            .id(entry.id())
                            .messageBody(message.body())
                            .delaySeconds(message.delaySeconds())
                            .messageGroupId(message.messageGroupId())
                            .messageDeduplicationId(message.messageDeduplicationId());
                    if (!message.attributes().isEmpty()) {
                        b.messageAttributes(toSdk(message.attributes()));
                    }
                    if (message.awsTraceHeader() != null) {
                        b.messageSystemAttributes(traceHeader(message.awsTraceHeader()));
                    }
                    return b.build();
                })
                .toList();
        return call(() -> {
            var response = sqs.sendMessageBatch(b -> {
                b.queueUrl(queueUrl).entries(sdkEntries);
                if (xAmznTraceId != null) {
                    b.overrideConfiguration(o -> o.putHeader(TRACE_ID_HEADER, xAmznTraceId));
                }
            });
            return new SendBatchResult(
                    response.successful().stream()
                            .map(ok -> new SentBatchEntry(
                                    ok.id(),
                                    new SentMessage(
                                            ok.messageId(),
                                            ok.md5OfMessageBody(),
                                            ok.md5OfMessageAttributes(),
                                            ok.md5OfMessageSystemAttributes(),
                                            ok.sequenceNumber())))
                            .toList(),
                    failures(response.failed()));
        });
    }

    @Override
    public List<ReceivedMessage> receiveMessage(String queueUrl, ReceiveRequest receive) {
        return call(() -> sqs
                .receiveMessage(b -> {
                    b.queueUrl(queueUrl)
                            .maxNumberOfMessages(receive.maxNumberOfMessages())
                            .visibilityTimeout(receive.visibilityTimeout())
                            .waitTimeSeconds(receive.waitTimeSeconds())
                            .receiveRequestAttemptId(receive.receiveRequestAttemptId());
                    if (receive.attributeNames() != null) {
                        b.attributeNamesWithStrings(receive.attributeNames());
                    }
                    if (receive.systemAttributeNames() != null) {
                        b.messageSystemAttributeNamesWithStrings(receive.systemAttributeNames());
                    }
                    if (receive.messageAttributeNames() != null) {
                        b.messageAttributeNames(receive.messageAttributeNames());
                    }
                })
                .messages()
                .stream()
                .map(SdkV2Port::fromSdk)
                .toList());
    }

    @Override
    public void deleteMessage(String queueUrl, String receiptHandle) {
        run(() -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)));
    }

    @Override
    public BatchResult deleteMessageBatch(String queueUrl, List<DeleteEntry> entries) {
        var sdkEntries = entries.stream()
                .map(entry -> DeleteMessageBatchRequestEntry.builder()
                        .id(entry.id())
                        .receiptHandle(entry.receiptHandle())
                        .build())
                .toList();
        return call(() -> {
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(sdkEntries));
            return new BatchResult(
                    response.successful().stream()
                            .map(DeleteMessageBatchResultEntry::id)
                            .toList(),
                    failures(response.failed()));
        });
    }

    @Override
    public void changeMessageVisibility(String queueUrl, String receiptHandle, int visibilityTimeout) {
        run(() -> sqs.changeMessageVisibility(
                b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(visibilityTimeout)));
    }

    @Override
    public BatchResult changeMessageVisibilityBatch(String queueUrl, List<VisibilityEntry> entries) {
        var sdkEntries = entries.stream()
                .map(entry -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(entry.id())
                        .receiptHandle(entry.receiptHandle())
                        .visibilityTimeout(entry.visibilityTimeout())
                        .build())
                .toList();
        return call(() -> {
            var response =
                    sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(sdkEntries));
            return new BatchResult(
                    response.successful().stream()
                            .map(ChangeMessageVisibilityBatchResultEntry::id)
                            .toList(),
                    failures(response.failed()));
        });
    }

    @Override
    public void tagQueue(String queueUrl, Map<String, String> tags) {
        run(() -> sqs.tagQueue(b -> b.queueUrl(queueUrl).tags(tags)));
    }

    @Override
    public void untagQueue(String queueUrl, List<String> tagKeys) {
        run(() -> sqs.untagQueue(b -> b.queueUrl(queueUrl).tagKeys(tagKeys)));
    }

    @Override
    public Map<String, String> listQueueTags(String queueUrl) {
        return call(
                () -> Map.copyOf(sqs.listQueueTags(b -> b.queueUrl(queueUrl)).tags()));
    }

    @Override
    public QueueListing listDeadLetterSourceQueues(String queueUrl, Integer maxResults, String nextToken) {
        return call(() -> {
            var response = sqs.listDeadLetterSourceQueues(
                    b -> b.queueUrl(queueUrl).maxResults(maxResults).nextToken(nextToken));
            return new QueueListing(List.copyOf(response.queueUrls()), response.nextToken());
        });
    }

    @Override
    public String startMessageMoveTask(String sourceArn, String destinationArn, Integer maxNumberOfMessagesPerSecond) {
        return call(() -> sqs.startMessageMoveTask(b -> b.sourceArn(sourceArn)
                        .destinationArn(destinationArn)
                        .maxNumberOfMessagesPerSecond(maxNumberOfMessagesPerSecond))
                .taskHandle());
    }

    @Override
    public List<MessageMoveTask> listMessageMoveTasks(String sourceArn, Integer maxResults) {
        return call(
                () -> sqs.listMessageMoveTasks(b -> b.sourceArn(sourceArn).maxResults(maxResults)).results().stream()
                        .map(task -> new MessageMoveTask(
                                task.taskHandle(),
                                task.status(),
                                task.sourceArn(),
                                task.destinationArn(),
                                task.maxNumberOfMessagesPerSecond(),
                                task.approximateNumberOfMessagesMoved(),
                                task.approximateNumberOfMessagesToMove(),
                                task.failureReason(),
                                task.startedTimestamp()))
                        .toList());
    }

    @Override
    public void addPermission(String queueUrl, String label, List<String> awsAccountIds, List<String> actions) {
        run(() -> sqs.addPermission(b ->
                b.queueUrl(queueUrl).label(label).awsAccountIds(awsAccountIds).actions(actions)));
    }

    @Override
    public void removePermission(String queueUrl, String label) {
        run(() -> sqs.removePermission(b -> b.queueUrl(queueUrl).label(label)));
    }

    @Override
    public long cancelMessageMoveTask(String taskHandle) {
        return call(
                () -> sqs.cancelMessageMoveTask(b -> b.taskHandle(taskHandle)).approximateNumberOfMessagesMoved());
    }

    @Override
    public void close() {
        sqs.close();
    }

    private static Map<String, MessageAttributeValue> toSdk(Map<String, MessageAttribute> attributes) {
        var sdk = new LinkedHashMap<String, MessageAttributeValue>();
        attributes.forEach((name, attribute) -> {
            var value = MessageAttributeValue.builder().dataType(attribute.dataType());
            if (attribute.isBinary()) {
                value.binaryValue(SdkBytes.fromByteArray(attribute.binaryValue()));
            } else {
                value.stringValue(attribute.stringValue());
            }
            sdk.put(name, value.build());
        });
        return sdk;
    }

    private static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> traceHeader(String value) {
        return Map.of(
                MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                MessageSystemAttributeValue.builder()
                        .dataType("String")
                        .stringValue(value)
                        .build());
    }

    private static ReceivedMessage fromSdk(Message message) {
        var attributes = new LinkedHashMap<String, MessageAttribute>();
        message.messageAttributes()
                .forEach((name, value) -> attributes.put(
                        name,
                        new MessageAttribute(
                                value.dataType(),
                                value.stringValue(),
                                value.binaryValue() == null
                                        ? null
                                        : value.binaryValue().asByteArray())));
        return new ReceivedMessage(
                message.messageId(),
                message.receiptHandle(),
                message.body(),
                message.md5OfBody(),
                message.md5OfMessageAttributes(),
                Map.copyOf(message.attributesAsStrings()),
                Map.copyOf(attributes));
    }

    private static List<BatchEntryFailure> failures(List<BatchResultErrorEntry> failed) {
        return failed.stream()
                .map(f -> new BatchEntryFailure(f.id(), f.code(), Boolean.TRUE.equals(f.senderFault()), f.message()))
                .toList();
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException e) {
            var details = e.awsErrorDetails();
            throw new SqsError(details.errorCode(), e.statusCode(), details.errorMessage(), e);
        }
    }

    private static void run(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }
}
