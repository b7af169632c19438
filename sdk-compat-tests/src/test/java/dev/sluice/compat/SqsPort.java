package dev.sluice.compat;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The SQS API in the suite's words, implemented once per SDK. Every method either returns what the SDK returned (after
 * the SDK's own checks, MD5 verification included) or throws {@link SqsError} with the code and HTTP status the SDK
 * reported; client-side failures (an MD5 mismatch, an unparsable reply) propagate as the SDK threw them.
 */
public interface SqsPort extends AutoCloseable {

    /** "query" or "json": which wire protocol this SDK speaks. */
    String protocol();

    /** The endpoint every request goes to. */
    URI endpoint();

    String createQueue(String queueName, Map<String, String> attributes, Map<String, String> tags);

    String getQueueUrl(String queueName);

    QueueListing listQueues(String queueNamePrefix, Integer maxResults, String nextToken);

    void deleteQueue(String queueUrl);

    /** {@code attributeNames} null sends no AttributeNames at all. */
    Map<String, String> getQueueAttributes(String queueUrl, List<String> attributeNames);

    void setQueueAttributes(String queueUrl, Map<String, String> attributes);

    void purgeQueue(String queueUrl);

    default SentMessage sendMessage(String queueUrl, OutgoingMessage message) {
        return sendMessage(queueUrl, message, null);
    }

    /** {@code xAmznTraceId}: the X-Ray trace header sent as the HTTP header {@code X-Amzn-Trace-Id}, or null. */
    SentMessage sendMessage(String queueUrl, OutgoingMessage message, String xAmznTraceId);

    default SendBatchResult sendMessageBatch(String queueUrl, List<SendBatchEntry> entries) {
        return sendMessageBatch(queueUrl, entries, null);
    }

    /** {@code xAmznTraceId} as in {@link #sendMessage(String, OutgoingMessage, String)}. */
    SendBatchResult sendMessageBatch(String queueUrl, List<SendBatchEntry> entries, String xAmznTraceId);

    List<ReceivedMessage> receiveMessage(String queueUrl, ReceiveRequest request);

    void deleteMessage(String queueUrl, String receiptHandle);

    BatchResult deleteMessageBatch(String queueUrl, List<DeleteEntry> entries);

    void changeMessageVisibility(String queueUrl, String receiptHandle, int visibilityTimeout);

    BatchResult changeMessageVisibilityBatch(String queueUrl, List<VisibilityEntry> entries);

    void tagQueue(String queueUrl, Map<String, String> tags);

    void untagQueue(String queueUrl, List<String> tagKeys);

    Map<String, String> listQueueTags(String queueUrl);

    void addPermission(String queueUrl, String label, List<String> awsAccountIds, List<String> actions);

    void removePermission(String queueUrl, String label);

    /** The queues whose RedrivePolicy names this one, one page; nextToken as in {@link #listQueues}. */
    QueueListing listDeadLetterSourceQueues(String queueUrl, Integer maxResults, String nextToken);

    /** Returns the TaskHandle; {@code destinationArn} and {@code maxNumberOfMessagesPerSecond} null = not sent. */
    String startMessageMoveTask(String sourceArn, String destinationArn, Integer maxNumberOfMessagesPerSecond);

    /** {@code maxResults} null = not sent (SQS then lists one task). */
    List<MessageMoveTask> listMessageMoveTasks(String sourceArn, Integer maxResults);

    /** Returns ApproximateNumberOfMessagesMoved. */
    long cancelMessageMoveTask(String taskHandle);

    @Override
    void close();
}
