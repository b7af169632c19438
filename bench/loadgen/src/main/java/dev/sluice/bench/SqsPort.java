package dev.sluice.bench;

import java.util.List;
import java.util.Map;

/**
 * The few SQS calls the scenarios make, so one scenario runs unchanged over SDK v2 (JSON 1.0) and SDK v1 1.12.500
 * (query protocol). Calls are synchronous: concurrency comes from the scenario's client threads, one request in
 * flight per thread, as with 16 independent application clients sharing one connection pool.
 */
interface SqsPort extends AutoCloseable {

    record Received(String messageId, String receiptHandle, String body) {}

    /** A FIFO send names its group and deduplication id; a standard send passes nulls. */
    record Entry(String body, String groupId, String deduplicationId) {}

    String createQueue(String name, Map<String, String> attributes);

    /** Returns the MessageId the server acknowledged. */
    String send(String queueUrl, Entry entry);

    /** Returns the MessageIds of the entries the server acknowledged; failed entries are left out. */
    List<String> sendBatch(String queueUrl, List<Entry> entries);

    List<Received> receive(String queueUrl, int maxNumberOfMessages, int waitTimeSeconds);

    /** Returns how many of the receipt handles were deleted. */
    int deleteBatch(String queueUrl, List<String> receiptHandles);

    /** ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible + ApproximateNumberOfMessagesDelayed. */
    long approximateCount(String queueUrl);

    void deleteQueue(String queueUrl);

    @Override
    void close();
}
