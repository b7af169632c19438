package dev.sluice.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SDK v2 (JSON 1.0) with its default HTTP client, Apache 5, given a pool larger than the client thread count
 * (the default of 50 would also do; it is set so the bound is visible). Retries are off: a failed call is counted as
 * an error by the scenario instead of being hidden inside a slower success.
 */
final class SdkV2Port implements SqsPort {
    private final SqsClient sqs;

    SdkV2Port(String endpoint, int maxConnections) {
        sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(maxConnections)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public String createQueue(String name, Map<String, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes))
                .queueUrl();
    }

    @Override
    public String send(String queueUrl, Entry entry) {
        return sqs.sendMessage(b -> b.queueUrl(queueUrl)
                        .messageBody(entry.body())
                        .messageGroupId(entry.groupId())
                        .messageDeduplicationId(entry.deduplicationId()))
                .messageId();
    }

    @Override
    public List<String> sendBatch(String queueUrl, List<Entry> entries) {
        var batch = new ArrayList<SendMessageBatchRequestEntry>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            batch.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(e.body())
                    .messageGroupId(e.groupId())
                    .messageDeduplicationId(e.deduplicationId())
                    .build());
        }
        return sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)).successful().stream()
                .map(s -> s.messageId())
                .toList();
    }

    @Override
    public List<Received> receive(String queueUrl, int maxNumberOfMessages, int waitTimeSeconds) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(maxNumberOfMessages)
                        .waitTimeSeconds(waitTimeSeconds))
                .messages();
        return messages.stream()
                .map(m -> new Received(m.messageId(), m.receiptHandle(), m.body()))
                .toList();
    }

    @Override
    public int deleteBatch(String queueUrl, List<String> receiptHandles) {
        var entries = new ArrayList<DeleteMessageBatchRequestEntry>(receiptHandles.size());
        for (int i = 0; i < receiptHandles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(receiptHandles.get(i))
                    .build());
        }
        return sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                .successful()
                .size();
    }

    @Override
    public long approximateCount(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    @Override
    public void deleteQueue(String queueUrl) {
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));
    }

    @Override
    public void close() {
        sqs.close();
    }
}
