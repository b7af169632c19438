package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * SDK v2's {@link SqsAsyncBatchManager} (2.59.1, JSON 1.0) against Sluice: it gathers single sends, deletes and
 * visibility changes into the batch actions, and serves receives from a buffer it fills with ReceiveMessage calls
 * of up to 10 messages, after reading the queue's VisibilityTimeout and ReceiveMessageWaitTimeSeconds. An interceptor
 * on the async client records which actions went over the wire, so each test also proves the batching happened.
 *
 * <p>The queues long-poll for 1 s (ReceiveMessageWaitTimeSeconds): the manager's receives carry no wait time of
 * their own, and on a short-polling queue it would poll an empty queue in a tight loop.
 */
@ExtendWith(SluiceServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkV2BatchManagerTest {
    private static final Map<String, String> LONG_POLLING = Map.of("ReceiveMessageWaitTimeSeconds", "1");

    private final ConcurrentLinkedQueue<String> actions = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private SdkV2Port sqs;
    private SqsAsyncClient async;
    private SqsAsyncBatchManager batches;

    @BeforeAll
    void connect(URI endpoint) {
        sqs = new SdkV2Port(endpoint);
        async = SdkV2Port.connect(SqsAsyncClient.builder(), endpoint)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        actions.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                }))
                .build();
        batches = SqsAsyncBatchManager.builder()
                .client(async)
                .scheduledExecutor(scheduler)
                .overrideConfiguration(o -> o.receiveMessageAttributeNames(List.of("All"))
                        .receiveMessageSystemAttributeNames(
                                List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                .build();
    }

    @AfterAll
    void disconnect() {
        if (batches != null) {
            batches.close();
        }
        if (async != null) {
            async.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        scheduler.shutdownNow();
    }

    @BeforeEach
    void forgetActions() {
        actions.clear();
    }

    @Test
    void sendsReceivesAndDeletesGoOutAsBatches() {
        String url = sqs.createQueue(queueName("batched"), LONG_POLLING, Map.of());

        List<CompletableFuture<SendMessageResponse>> sends = IntStream.range(0, 25)
                .mapToObj(i -> batches.sendMessage(send -> send.queueUrl(url)
                        .messageBody("job " + i)
                        .messageAttributes(Map.of(
                                "attempt",
                                MessageAttributeValue.builder()
                                        .dataType("Number")
                                        .stringValue(Integer.toString(i))
                                        .build()))))
                .toList();
        assertThat(sends).allSatisfy(sent -> assertThat(sent.join().messageId()).isNotBlank());

        List<Message> received = new ArrayList<>();
        for (int poll = 0; poll < 20 && received.size() < 25; poll++) {
            received.addAll(batches.receiveMessage(receive ->
                            receive.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                    .join()
                    .messages());
        }
        assertThat(received)
                .extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 25).mapToObj(i -> "job " + i).toList());
        assertThat(received).allSatisfy(message -> {
            assertThat(message.body())
                    .endsWith(" " + message.messageAttributes().get("attempt").stringValue());
            assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1");
        });

        CompletableFuture.allOf(received.stream()
                        .map(message -> batches.deleteMessage(
                                delete -> delete.queueUrl(url).receiptHandle(message.receiptHandle())))
                        .toArray(CompletableFuture[]::new))
                .join();

        SqsSuiteSupport.assertEmpty(sqs, url);
        assertThat(actions).contains("SendMessageBatch", "ReceiveMessage", "DeleteMessageBatch");
        assertThat(actions).doesNotContain("SendMessage", "DeleteMessage");
        assertThat(actions.stream().filter("SendMessageBatch"::equals)).hasSizeBetween(3, 25);
    }

    @Test
    void aMessageHandedBackTwiceGoesToTheDeadLetterQueue() {
        String dlq = sqs.createQueue(queueName("dlq"), LONG_POLLING, Map.of());
        String dlqArn = sqs.getQueueAttributes(dlq, List.of("QueueArn")).get("QueueArn");
        String source = sqs.createQueue(
                queueName("source"),
                Map.of(
                        "ReceiveMessageWaitTimeSeconds",
                        "1",
                        "RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":2}".formatted(dlqArn)),
                Map.of());
        String messageId = batches.sendMessage(send -> send.queueUrl(source).messageBody("poison"))
                .join()
                .messageId();

        // The consumer fails twice and hands the message back each time (visibility 0, batched).
        for (int attempt = 1; attempt <= 2; attempt++) {
            Message message = receiveOne(source);
            assertThat(message.messageId()).isEqualTo(messageId);
            assertThat(message.attributesAsStrings())
                    .containsEntry("ApproximateReceiveCount", Integer.toString(attempt));
            batches.changeMessageVisibility(visibility -> visibility
                            .queueUrl(source)
                            .receiptHandle(message.receiptHandle())
                            .visibilityTimeout(0))
                    .join();
        }
        assertThat(batches.receiveMessage(receive -> receive.queueUrl(source).waitTimeSeconds(2))
                        .join()
                        .messages())
                .as("maxReceiveCount 2: the third receive moves the message instead of returning it")
                .isEmpty();

        Message dead = receiveOne(dlq);
        assertThat(dead.messageId()).isEqualTo(messageId);
        assertThat(dead.body()).isEqualTo("poison");
        batches.deleteMessage(delete -> delete.queueUrl(dlq).receiptHandle(dead.receiptHandle()))
                .join();

        SqsSuiteSupport.assertEmpty(sqs, source);
        SqsSuiteSupport.assertEmpty(sqs, dlq);
        assertThat(actions).contains("ChangeMessageVisibilityBatch", "DeleteMessageBatch");
        assertThat(actions).doesNotContain("ChangeMessageVisibility", "DeleteMessage");
    }

    private Message receiveOne(String url) {
        List<Message> messages = batches.receiveMessage(
                        receive -> receive.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(5))
                .join()
                .messages();
        assertThat(messages).as("messages received from %s", url).hasSize(1);
        return messages.get(0);
    }

    private static String queueName(String stem) {
        return SqsSuiteSupport.uniqueQueueName("batchmanager", stem);
    }
}
