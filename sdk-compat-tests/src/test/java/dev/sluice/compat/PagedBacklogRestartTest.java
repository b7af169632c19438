package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Issue 15: a backlog several times what the memory budget holds is paged to disk, survives kill -9 in the middle of
 * sending (while pages are being written) and a restart on the same small heap, and comes back whole: every
 * acknowledged message received exactly once, FIFO groups in order across pages, with the packaged server and the AWS
 * SDK for Java v2. Without paging the budget ({@value #BUDGET}) holds about 35,000 of these messages, so the sends
 * past that would be refused (MemoryBudgetRestartTest) instead of paged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagedBacklogRestartTest {
    private static final String HEAP = "-Xmx160m";
    private static final String BUDGET = "-Dsluice.memory.max-index=24M";
    /** Small pages and windows, so a few tens of thousands of messages make many pages. */
    private static final List<String> ARGS = List.of(
            HEAP, BUDGET, "-Dsluice.memory.page-size=500", "-Dsluice.memory.window=1000", "-Dsluice.request-log=false");

    private static final String BODY = "p".repeat(1000);
    private static final int STANDARD_MESSAGES = 50_000;
    /** Acknowledged standard messages after which the server is killed, senders still sending. */
    private static final int KILL_AFTER = 40_000;

    private static final int GROUPS = 4;
    private static final int FIFO_PER_GROUP = 3_000;

    private SluiceProcess server;
    private String standardUrl;
    private String fifoUrl;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> fifoAcknowledged = new ConcurrentHashMap<>();

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // about 60,000 sends, on a machine that may be busy
    void fillKillAndRestart() throws Exception {
        Assumptions.assumeTrue(SluiceServer.externalEndpoint().isEmpty(), "the server is not ours to start");
        server = SluiceProcess.start(
                SluiceServer.jar(),
                SluiceServer.newDataDir("PagedBacklogRestartTest"),
                SluiceProcess.freePort(),
                SluiceServer.logFile("PagedBacklogRestartTest-before-kill"),
                ARGS);
        try (SqsClient client =
                SdkV2Port.connect(SqsClient.builder(), server.endpoint()).build()) {
            fifoUrl = client.createQueue(b -> b.queueName("paged-groups.fifo")
                            .attributes(Map.of(
                                    QueueAttributeName.FIFO_QUEUE, "true",
                                    QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")))
                    .queueUrl();
            sendFifoInOrder(client);
            standardUrl = client.createQueue(b -> b.queueName("paged-backlog")).queueUrl();
        }
        sendUntilKilled();
        server = server.restart(SluiceServer.logFile("PagedBacklogRestartTest-after-kill"), ARGS);
    }

    /** Each group's messages in order, ten per batch, numbered in their bodies. */
    private void sendFifoInOrder(SqsClient client) {
        for (int n = 0; n < FIFO_PER_GROUP; n += 10) {
            for (int g = 0; g < GROUPS; g++) {
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (int i = n; i < n + 10; i++) {
                    batch.add(SendMessageBatchRequestEntry.builder()
                            .id("e" + (i - n))
                            .messageBody(i + " " + BODY)
                            .messageGroupId("g" + g)
                            .messageDeduplicationId("g" + g + "-" + i)
                            .build());
                }
                var response = client.sendMessageBatch(b -> b.queueUrl(fifoUrl).entries(batch));
                assertThat(response.failed()).isEmpty();
                fifoAcknowledged.put("g" + g, n + 10);
            }
        }
    }

    /** Four senders of batches of ten; the server is killed once KILL_AFTER are acknowledged, mid-send. */
    private void sendUntilKilled() throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(4);
                SqsClient client = SdkV2Port.connect(SqsClient.builder(), server.endpoint())
                        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                        .build()) {
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                senders.add(pool.submit(() -> {
                    List<SendMessageBatchRequestEntry> batch = SdkV2Port.tenOf(BODY);
                    while (!killed.get() && acknowledged.size() < STANDARD_MESSAGES) {
                        try {
                            var response = client.sendMessageBatch(
                                    b -> b.queueUrl(standardUrl).entries(batch));
                            response.successful().forEach(ok -> acknowledged.add(ok.messageId()));
                        } catch (SdkException e) {
                            if (!killed.get()) {
                                throw e;
                            }
                        }
                        if (acknowledged.size() >= KILL_AFTER && killed.compareAndSet(false, true)) {
                            server.killHard();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        }
        assertThat(killed).as("killed while the senders were sending").isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES) // tens of pages paged in on a machine that may be busy
    void everyAcknowledgedMessageComesBackExactlyOnce() {
        try (SqsClient client =
                SdkV2Port.connect(SqsClient.builder(), server.endpoint()).build()) {
            Map<String, Integer> received = new HashMap<>();
            for (List<Message> got; !(got = receiveUntilEmpty(client, standardUrl)).isEmpty(); ) {
                got.forEach(m -> {
                    received.merge(m.messageId(), 1, Integer::sum);
                    assertThat(m.body()).isEqualTo(BODY);
                });
                delete(client, standardUrl, got);
            }
            assertThat(received.keySet()).containsAll(acknowledged);
            assertThat(received.values()).allMatch(times -> times == 1);
            // Sends in flight at the kill may have been stored without their answer: at most the senders' last batches.
            assertThat(received.size() - acknowledged.size()).isBetween(0, 4 * 10);
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void fifoGroupsComeBackWholeAndInOrderAcrossPages() {
        try (SqsClient client =
                SdkV2Port.connect(SqsClient.builder(), server.endpoint()).build()) {
            Map<String, Integer> next = new HashMap<>();
            for (List<Message> got; !(got = receiveUntilEmpty(client, fifoUrl)).isEmpty(); ) {
                for (Message m : got) {
                    String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
                    int number = Integer.parseInt(m.body().substring(0, m.body().indexOf(' ')));
                    assertThat(number).as("group %s in order", group).isEqualTo(next.getOrDefault(group, 0));
                    next.put(group, number + 1);
                }
                delete(client, fifoUrl, got);
            }
            assertThat(next).isEqualTo(fifoAcknowledged);
        }
    }

    /** The next messages; empty only when three receives in a row got none (a page may be on its way in). */
    private static List<Message> receiveUntilEmpty(SqsClient client, String url) {
        for (int empty = 0; empty < 3; empty++) {
            List<Message> got = receive(client, url);
            if (!got.isEmpty()) {
                return got;
            }
        }
        return List.of();
    }

    private static List<Message> receive(SqsClient client, String url) {
        return client.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .messages();
    }

    private static void delete(SqsClient client, String url, List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder()
                    .id("d" + i)
                    .receiptHandle(messages.get(i).receiptHandle())
                    .build());
        }
        assertThat(client.deleteMessageBatch(b -> b.queueUrl(url).entries(entries))
                        .failed())
                .isEmpty();
    }
}
