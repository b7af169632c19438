package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Issue 15, "never accept what cannot be recovered": the packaged server on a small heap ({@value #HEAP}) is filled
 * with 1 KiB messages until it refuses a send (its memory budget, here 96 MiB), the refusal is
 * RequestThrottled (403), which the AWS SDK for Java v2 classifies as throttling and so retries; then it is killed with
 * SIGKILL and started again with the same small heap on the same data directory: the start succeeds and every
 * acknowledged message is there. Before the budget the server accepted backlogs it could not load again (the journal's
 * start needed about 1.5 times the running heap; bench/notes.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemoryBudgetRestartTest {
    private static final String HEAP = "-Xmx128m";
    /**
     * More than the default (half the heap), so the test can fail: a start that needs more heap than the running
     * server (as it did before, about 1.5 times the messages' state) does not fit in 128 MiB with 96 MiB of state.
     */
    private static final String BUDGET = "-Dsluice.memory.max-index=96M";
    /**
     * Paging off (its high-water mark above the budget): this test is about the budget's bound on what cannot be
     * paged; PagedBacklogRestartTest is about paging.
     */
    private static final String NO_PAGING = "-Dsluice.memory.page-high-water=1G";

    private static final String BODY = "m".repeat(1024);
    private static final int SENDERS = 4;

    private SluiceProcess server;
    private String queueUrl;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicReference<AwsServiceException> refusal = new AtomicReference<>();
    private String logBeforeKill;

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES) // filling 150,000 messages takes 15-100 s on a busy 2-core machine
    void fillUntilRefusedKillAndRestart() throws Exception {
        Assumptions.assumeTrue(SluiceServer.externalEndpoint().isEmpty(), "the server is not ours to start");
        server = SluiceProcess.start(
                SluiceServer.jar(),
                SluiceServer.newDataDir("MemoryBudgetRestartTest"),
                SluiceProcess.freePort(),
                SluiceServer.logFile("MemoryBudgetRestartTest-before-kill"),
                List.of(HEAP, BUDGET, NO_PAGING, "-Dsluice.request-log=false"));
        try (var sqs = new SdkV2Port(server.endpoint());
                SqsClient client = SdkV2Port.connect(SqsClient.builder(), server.endpoint())
                        .build();
                ExecutorService pool = Executors.newFixedThreadPool(SENDERS)) {
            queueUrl = sqs.createQueue("backlog-" + Long.toHexString(System.nanoTime()), Map.of(), Map.of());
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(pool.submit(() -> sendUntilRefused(client)));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        }
        logBeforeKill = Files.readString(server.log());
        server.killHard();
        server = server.restart(
                SluiceServer.logFile("MemoryBudgetRestartTest-after-kill"), List.of(HEAP, BUDGET, NO_PAGING));
    }

    private void sendUntilRefused(SqsClient client) {
        List<SendMessageBatchRequestEntry> batch = SdkV2Port.tenOf(BODY);
        // Bounded: a 96 MiB budget holds about 157,000 of these messages.
        for (int call = 0; call < 100_000 && refusal.get() == null; call++) {
            try {
                var response = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch));
                assertThat(response.failed()).isEmpty();
                response.successful().forEach(ok -> acknowledged.add(ok.messageId()));
            } catch (AwsServiceException e) {
                refusal.compareAndSet(null, e);
            }
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void theFullServerRefusedASendWithRetryableRequestThrottledAndLoggedTheLimit() {
        AwsServiceException refused = refusal.get();
        assertThat(refused).as("the server never refused a send").isNotNull();
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("RequestThrottled");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.isThrottlingException())
                .as("the SDK retries it with its throttling back-off")
                .isTrue();
        assertThat(refused.awsErrorDetails().errorMessage()).contains("sluice.memory.max-index");
        assertThat(logBeforeKill).contains("refusing sends").contains("sluice.memory.max-index");
        assertThat(acknowledged.size())
                .as("a 96 MiB budget holds well over a hundred thousand")
                .isGreaterThan(120_000);
    }

    @Test
    @Order(2)
    void theRestartOnTheSameSmallHeapHoldsEveryAcknowledgedMessage() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            assertThat(sqs.getQueueAttributes(queueUrl, SqsSuiteSupport.COUNTS))
                    .isEqualTo(Map.of(
                            "ApproximateNumberOfMessages", String.valueOf(acknowledged.size()),
                            "ApproximateNumberOfMessagesNotVisible", "0",
                            "ApproximateNumberOfMessagesDelayed", "0"));
        }
    }

    @Test
    @Order(3)
    void receivingAndDeletingMakesRoomForNewSendsAgain() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            assertThatThrownBy(() -> sqs.sendMessage(queueUrl, OutgoingMessage.of("still full?")))
                    .as("a restart charges what it loads: the server is as full as before")
                    .isInstanceOfSatisfying(
                            SqsError.class, e -> assertThat(e.code()).isEqualTo("RequestThrottled"));
            for (int i = 0; i < 20; i++) {
                var received =
                        sqs.receiveMessage(queueUrl, ReceiveRequest.upTo(10).waitTimeSeconds(0));
                assertThat(received).hasSize(10);
                for (var message : received) {
                    assertThat(acknowledged).contains(message.messageId());
                    assertThat(message.body()).isEqualTo(BODY);
                    sqs.deleteMessage(queueUrl, message.receiptHandle());
                }
            }
            assertThat(sqs.sendMessage(queueUrl, OutgoingMessage.of("room again"))
                            .messageId())
                    .isNotBlank();
        }
    }
}
