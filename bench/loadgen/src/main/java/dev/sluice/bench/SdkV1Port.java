package dev.sluice.bench;

import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.retry.PredefinedRetryPolicies;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.DeleteMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.GetQueueAttributesRequest;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SDK v1 1.12.500, which speaks the query protocol (form-encoded requests, XML replies); retries off as in v2. */
final class SdkV1Port implements SqsPort {
    private final AmazonSQS sqs;

    SdkV1Port(String endpoint, int maxConnections) {
        sqs = AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint, "us-east-1"))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("bench", "bench")))
                .withClientConfiguration(new ClientConfiguration()
                        .withMaxConnections(maxConnections)
                        .withConnectionTimeout(5_000)
                        .withSocketTimeout(30_000)
                        .withRetryPolicy(PredefinedRetryPolicies.NO_RETRY_POLICY))
                .build();
    }

    @Override
    public String createQueue(String name, Map<String, String> attributes) {
        return sqs.createQueue(new CreateQueueRequest(name).withAttributes(attributes))
                .getQueueUrl();
    }

    @Override
    public String send(String queueUrl, Entry entry) {
        return sqs.sendMessage(new SendMessageRequest(queueUrl, entry.body())
                        .withMessageGroupId(entry.groupId())
                        .withMessageDeduplicationId(entry.deduplicationId()))
                .getMessageId();
    }

    @Override
    public List<String> sendBatch(String queueUrl, List<Entry> entries) {
        var batch = new ArrayList<SendMessageBatchRequestEntry>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            batch.add(new SendMessageBatchRequestEntry(Integer.toString(i), e.body())
                    .withMessageGroupId(e.groupId())
                    .withMessageDeduplicationId(e.deduplicationId()));
        }
        return sqs.sendMessageBatch(queueUrl, batch).getSuccessful().stream()
                .map(s -> s.getMessageId())
                .toList();
    }

    @Override
    public List<Received> receive(String queueUrl, int maxNumberOfMessages, int waitTimeSeconds) {
        return sqs
                .receiveMessage(new ReceiveMessageRequest(queueUrl)
                        .withMaxNumberOfMessages(maxNumberOfMessages)
                        .withWaitTimeSeconds(waitTimeSeconds))
                .getMessages()
                .stream()
                .map(m -> new Received(m.getMessageId(), m.getReceiptHandle(), m.getBody()))
                .toList();
    }

    @Override
    public int deleteBatch(String queueUrl, List<String> receiptHandles) {
        var entries = new ArrayList<DeleteMessageBatchRequestEntry>(receiptHandles.size());
        for (int i = 0; i < receiptHandles.size(); i++) {
            entries.add(new DeleteMessageBatchRequestEntry(Integer.toString(i), receiptHandles.get(i)));
        }
        return sqs.deleteMessageBatch(queueUrl, entries).getSuccessful().size();
    }

    @Override
    public long approximateCount(String queueUrl) {
        Map<String, String> a = sqs.getQueueAttributes(new GetQueueAttributesRequest(queueUrl)
                        .withAttributeNames(
                                "ApproximateNumberOfMessages",
                                "ApproximateNumberOfMessagesNotVisible",
                                "ApproximateNumberOfMessagesDelayed"))
                .getAttributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    @Override
    public void deleteQueue(String queueUrl) {
        sqs.deleteQueue(queueUrl);
    }

    @Override
    public void close() {
        sqs.shutdown();
    }
}
