package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.retry.PredefinedRetryPolicies;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Issue 16, item 3, poison messages: a message attribute whose DataType holds a control character (and a tag value
 * with one) used to be stored, after which the query-protocol reply could not be encoded (an empty 500), and on a
 * queue with maxReceiveCount 1 one such message made a receive claim all ten of a batch and dead-letter them unseen.
 * Now the poison entry is refused, the other nine are received by both protocols, and nothing is dead-lettered.
 */
class PoisonMessageTest {
    private static final String POISON_TYPE = "String.\u0001";

    private static Target server;
    private static SqsClient v2;
    private static AmazonSQS v1;

    @BeforeAll
    static void start() {
        server = Target.start(PoisonMessageTest.class, List.of("-Dsluice.durability=memory"));
        v2 = Clients.v2(server.endpoint(), Duration.ofSeconds(10));
        v1 = AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(
                        new EndpointConfiguration(server.endpoint().toString(), Clients.REGION))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("AKIDV1", "secret")))
                .withClientConfiguration(
                        new ClientConfiguration().withRetryPolicy(PredefinedRetryPolicies.NO_RETRY_POLICY))
                .build();
    }

    @AfterAll
    static void stop() {
        if (v2 != null) {
            v2.close();
        }
        if (v1 != null) {
            v1.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A queue whose messages go to a dead-letter queue on their second receive; returns both URLs. */
    private static List<String> queueWithDeadLetterQueue(String name) {
        String dlq = v2.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = v2.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String queue = v2.createQueue(b -> b.queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}",
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "30")))
                .queueUrl();
        return List.of(queue, dlq);
    }

    private static int messagesIn(String url) {
        Map<QueueAttributeName, String> counts = v2.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void thePoisonEntryOfAJsonBatchIsRefusedAndTheOtherNineAreReceivedNotDeadLettered() {
        List<String> urls = queueWithDeadLetterQueue("poison-json");
        SendMessageBatchResponse sent = v2.sendMessageBatch(b -> b.queueUrl(urls.get(0))
                .entries(java.util.stream.IntStream.range(0, 10)
                        .mapToObj(i -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                                .id("e" + i)
                                .messageBody("body " + i)
                                .messageAttributes(Map.of(
                                        "kind",
                                        MessageAttributeValue.builder()
                                                .dataType(i == 4 ? POISON_TYPE : "String.label")
                                                .stringValue("v" + i)
                                                .build()))
                                .build())
                        .toList()));

        assertThat(sent.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.id()).isEqualTo("e4");
            assertThat(failure.code()).isEqualTo("InvalidParameterValue");
        });
        assertThat(sent.successful()).hasSize(9);
        var received = v2.receiveMessage(
                        b -> b.queueUrl(urls.get(0)).maxNumberOfMessages(10).messageAttributeNames("All"))
                .messages();
        assertThat(received).hasSize(9);
        assertThat(messagesIn(urls.get(1))).as("dead-lettered").isZero();
    }

    @Test
    void thePoisonEntryOfAQueryBatchIsRefusedAndTheQueryRepliesEncode() {
        List<String> urls = queueWithDeadLetterQueue("poison-query");
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(new SendMessageBatchRequestEntry("e" + i, "body " + i)
                    .addMessageAttributesEntry(
                            "kind",
                            new com.amazonaws.services.sqs.model.MessageAttributeValue()
                                    .withDataType(i == 7 ? POISON_TYPE : "String")
                                    .withStringValue("v" + i)));
        }

        var sent = v1.sendMessageBatch(urls.get(0), entries);

        assertThat(sent.getFailed()).singleElement().satisfies(failure -> {
            assertThat(failure.getId()).isEqualTo("e7");
            assertThat(failure.getCode()).isEqualTo("InvalidParameterValue");
        });
        var received = v1.receiveMessage(new com.amazonaws.services.sqs.model.ReceiveMessageRequest(urls.get(0))
                        .withMaxNumberOfMessages(10)
                        .withMessageAttributeNames("All"))
                .getMessages();
        assertThat(received).hasSize(9);
        assertThat(messagesIn(urls.get(1))).as("dead-lettered").isZero();
    }

    @Test
    void aTagWithAControlCharacterIsRefusedAndTagsStillListInTheQueryProtocol() {
        String url = v2.createQueue(b -> b.queueName("poison-tags")).queueUrl();

        assertThatThrownBy(() -> v2.tagQueue(b -> b.queueUrl(url).tags(Map.of("team", "a\u0001b"))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                });
        v2.tagQueue(b -> b.queueUrl(url).tags(Map.of("team", "Größe 1")));
        assertThat(v1.listQueueTags(url).getTags()).isEqualTo(Map.of("team", "Größe 1"));
    }

    @Test
    void anErrorQuotingAControlCharacterIsAnAwsErrorNotAnEmpty500() {
        assertThatThrownBy(() -> v1.changeMessageVisibility(
                        v2.createQueue(b -> b.queueName("poison-handle")).queueUrl(), "\u0001bad", 5))
                .isInstanceOfSatisfying(AmazonServiceException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("ReceiptHandleIsInvalid");
                });
        assertThat(server.log()).doesNotContain("ERROR");
    }
}
