package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Issue 15: a clean stop (SIGTERM) writes a checkpoint at the journal's end, so the next start of the packaged server
 * replays no journal record after it (its log says how many it replayed) and still brings every message back exactly
 * once, paged ones included (a small paging mark, so most of the backlog is in page files when the server stops).
 * Through the AWS SDK for Java v2.
 */
class CleanStopCheckpointTest {
    private static final List<String> ARGS = List.of(
            "-Xmx256m",
            "-Dsluice.memory.page-high-water=1M",
            "-Dsluice.memory.page-size=500",
            "-Dsluice.memory.window=1000",
            "-Dsluice.request-log=false");
    private static final String BODY = "c".repeat(1000);
    private static final int MESSAGES = 6_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a few thousand sends and two starts on a machine that may be busy
    void aRestartAfterACleanStopReplaysNothingAndBringsEveryMessageBackOnce() throws Exception {
        Assumptions.assumeTrue(SluiceServer.externalEndpoint().isEmpty(), "the server is not ours to start");
        Path dataDir = SluiceServer.newDataDir("CleanStopCheckpointTest");
        SluiceProcess server = SluiceProcess.start(
                SluiceServer.jar(),
                dataDir,
                SluiceProcess.freePort(),
                SluiceServer.logFile("CleanStopCheckpointTest-before-stop"),
                ARGS);
        Set<String> acknowledged = new HashSet<>();
        String url;
        try (SqsClient client =
                SdkV2Port.connect(SqsClient.builder(), server.endpoint()).build()) {
            url = client.createQueue(b -> b.queueName("stopped-cleanly")).queueUrl();
            List<SendMessageBatchRequestEntry> batch = SdkV2Port.tenOf(BODY);
            while (acknowledged.size() < MESSAGES) {
                var response = client.sendMessageBatch(b -> b.queueUrl(url).entries(batch));
                assertThat(response.failed()).isEmpty();
                response.successful().forEach(ok -> acknowledged.add(ok.messageId()));
            }
        } finally {
            server.signalTerm();
        }
        assertThat(server.exitStatusWithin(Duration.ofSeconds(60)))
                .as("exit status after SIGTERM")
                .isZero();
        assertThat(pageFiles(dataDir))
                .as("messages were paged when the server stopped")
                .isPositive();

        SluiceProcess restarted = server.restart(SluiceServer.logFile("CleanStopCheckpointTest-after-stop"), ARGS);
        try (SqsClient client =
                SdkV2Port.connect(SqsClient.builder(), restarted.endpoint()).build()) {
            assertThat(restarted.logText())
                    .contains("journal: starting from checkpoint")
                    .contains("journal: replayed 0 records after the checkpoint");
            Map<String, Integer> received = new HashMap<>();
            for (List<Message> got; !(got = receiveUntilEmpty(client, url)).isEmpty(); ) {
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                for (Message m : got) {
                    received.merge(m.messageId(), 1, Integer::sum);
                    assertThat(m.body()).isEqualTo(BODY);
                    deletes.add(DeleteMessageBatchRequestEntry.builder()
                            .id("d" + deletes.size())
                            .receiptHandle(m.receiptHandle())
                            .build());
                }
                assertThat(client.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes))
                                .failed())
                        .isEmpty();
            }
            assertThat(received.keySet()).isEqualTo(acknowledged);
            assertThat(received.values()).allMatch(times -> times == 1);
        } finally {
            restarted.close();
        }
    }

    private static long pageFiles(Path dataDir) throws Exception {
        Path pages = dataDir.resolve("pages");
        if (!Files.isDirectory(pages)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(pages)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".page"))
                    .count();
        }
    }

    /** The next messages; empty only when three receives in a row got none (a page may be on its way in). */
    private static List<Message> receiveUntilEmpty(SqsClient client, String url) {
        for (int empty = 0; empty < 3; empty++) {
            List<Message> got = client.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            if (!got.isEmpty()) {
                return got;
            }
        }
        return List.of();
    }
}
