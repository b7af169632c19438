package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Issue 15's paging through the AWS SDK for Java v2 against the packaged server, in the memory mode paging into its
 * own store ({@code sluice.memory.page-in-memory}) with a budget that holds about 1,400 messages: 2,000 sent to a
 * standard queue and 1,000 to a FIFO queue (three interleaved groups) are all accepted (the budget alone would refuse
 * them), counted, and received in the order they were sent (per group on the FIFO queue), as the server pages them out
 * and back in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagingOverSdkTest {
    private static final int STANDARD = 2_000;
    private static final int FIFO = 1_000;

    private SluiceProcess server;
    private SqsClient sqs;

    @BeforeAll
    void start() {
        server = SluiceServer.startOwn(
                "PagingOverSdkTest",
                List.of(
                        "-Dsluice.durability=memory",
                        "-Dsluice.memory.page-in-memory=true",
                        "-Dsluice.memory.max-index=1M",
                        "-Dsluice.memory.page-high-water=200K",
                        "-Dsluice.memory.page-low-water=150K",
                        "-Dsluice.memory.page-size=50",
                        "-Dsluice.memory.window=100",
                        "-Dsluice.request-log=false"));
        sqs = SdkV2Port.connect(SqsClient.builder(), server.endpoint()).build();
    }

    @AfterAll
    void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private List<String> sendAll(String queueUrl, String prefix, int count, boolean fifo) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i += 10) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>(10);
            for (int j = i; j < i + 10; j++) {
                String body = prefix + "-" + j;
                bodies.add(body);
                SendMessageBatchRequestEntry.Builder entry =
                        SendMessageBatchRequestEntry.builder().id("e" + j).messageBody(body);
                if (fifo) {
                    entry.messageGroupId("g" + (j % 3)).messageDeduplicationId(body);
                }
                batch.add(entry.build());
            }
            var sent = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch));
            assertThat(sent.failed()).isEmpty();
        }
        return bodies;
    }

    private List<String> receiveAll(String queueUrl, int count) {
        List<String> received = new ArrayList<>(count);
        for (int calls = 0; received.size() < count && calls < count; calls++) {
            List<Message> got = sqs.receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(2))
                    .messages();
            got.forEach(message -> received.add(message.body()));
            if (!got.isEmpty()) {
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(got.size());
                for (int i = 0; i < got.size(); i++) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder()
                            .id("d" + i)
                            .receiptHandle(got.get(i).receiptHandle())
                            .build());
                }
                assertThat(sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes))
                                .failed())
                        .isEmpty();
            }
        }
        return received;
    }

    /** The bodies "f-j" of group g(j % 3), in the order given. */
    private static List<String> ofGroup(List<String> bodies, int group) {
        return bodies.stream()
                .filter(body -> Integer.parseInt(body.substring(2)) % 3 == group)
                .toList();
    }

    private String visible(String queueUrl) {
        return sqs.getQueueAttributes(
                        b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aBacklogLargerThanTheBudgetIsAcceptedCountedAndReceivedInOrder() {
        String standard = sqs.createQueue(b -> b.queueName("paged-" + Long.toHexString(System.nanoTime())))
                .queueUrl();
        String fifo = sqs.createQueue(b -> b.queueName("paged-" + Long.toHexString(System.nanoTime()) + ".fifo")
                        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                .queueUrl();

        List<String> sentStandard = sendAll(standard, "s", STANDARD, false);
        List<String> sentFifo = sendAll(fifo, "f", FIFO, true);

        assertThat(visible(standard)).isEqualTo(String.valueOf(STANDARD));
        assertThat(visible(fifo)).isEqualTo(String.valueOf(FIFO));
        assertThat(receiveAll(standard, STANDARD)).containsExactlyElementsOf(sentStandard);
        List<String> receivedFifo = receiveAll(fifo, FIFO);
        assertThat(receivedFifo).containsExactlyInAnyOrderElementsOf(sentFifo);
        for (int group = 0; group < 3; group++) {
            assertThat(ofGroup(receivedFifo, group))
                    .as("group g" + group)
                    .containsExactlyElementsOf(ofGroup(sentFifo, group));
        }
        assertThat(visible(standard)).isEqualTo("0");
        assertThat(visible(fifo)).isEqualTo("0");
    }
}
