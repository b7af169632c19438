package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice.init-file} on the packaged server, seen through SDK v2: the declared queues exist with their attributes,
 * dead-letter queue and tags when the port opens; a restart with an edited file keeps the messages and applies the
 * edit; a bad file stops the start with one line and leaves the data directory as it was.
 */
class InitFileStartupTest {
    private static final String FILE = """
            queues:
              orders:
                attributes:
                  VisibilityTimeout: %s
                  RedrivePolicy: {deadLetterQueue: orders-dlq, maxReceiveCount: 3}
                tags: {team: shop}
              orders-dlq: {}
              events.fifo:
                attributes: {FifoQueue: true, ContentBasedDeduplication: true}
            """;

    @Test
    void declaredQueuesExistAtStartAndSurviveARestartWithAnEditedFile() throws IOException {
        Path dir = SluiceServer.newDataDir("InitFileStartupTest");
        Path file = Files.writeString(dir.resolve("queues.yaml"), FILE.formatted(60));
        List<String> options = List.of("-Dsluice.init-file=" + file);
        var server = SluiceProcess.start(
                SluiceServer.jar(),
                dir.resolve("data"),
                SluiceProcess.freePort(),
                SluiceServer.logFile("InitFileStartupTest"),
                options);
        String ordersUrl;
        try (var sqs = new SdkV2Port(server.endpoint())) {
            ordersUrl = sqs.getQueueUrl("orders");
            String dlqUrl = sqs.getQueueUrl("orders-dlq");
            Map<String, String> attributes = sqs.getQueueAttributes(ordersUrl, List.of("All"));
            assertThat(attributes).containsEntry("VisibilityTimeout", "60");
            assertThat(attributes.get("RedrivePolicy"))
                    .contains("\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:orders-dlq\"")
                    .contains("\"maxReceiveCount\":3");
            assertThat(sqs.listDeadLetterSourceQueues(dlqUrl, null, null).queueUrls())
                    .containsExactly(ordersUrl);
            assertThat(sqs.listQueueTags(ordersUrl)).isEqualTo(Map.of("team", "shop"));
            assertThat(sqs.getQueueAttributes(sqs.getQueueUrl("events.fifo"), List.of("All")))
                    .containsEntry("FifoQueue", "true")
                    .containsEntry("ContentBasedDeduplication", "true");
            sqs.sendMessage(ordersUrl, OutgoingMessage.of("kept across the restart"));
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        } finally {
            server.close();
        }

        Files.writeString(file, FILE.formatted(90));
        var restarted = server.restart(SluiceServer.logFile("InitFileStartupTest-restarted"), options);
        try (var sqs = new SdkV2Port(restarted.endpoint())) {
            assertThat(sqs.getQueueAttributes(ordersUrl, List.of("VisibilityTimeout")))
                    .containsEntry("VisibilityTimeout", "90");
            assertThat(sqs.receiveMessage(ordersUrl, ReceiveRequest.upTo(10)))
                    .extracting(ReceivedMessage::body)
                    .containsExactly("kept across the restart");
            assertThat(restarted.logText()).contains("0 queue(s) created, 3 updated");
        } finally {
            restarted.close();
        }
    }

    @Test
    void aBadFileStopsTheStartInOneLineAndTouchesNothing() throws IOException {
        Path dir = SluiceServer.newDataDir("InitFileStartupTest-bad");
        Path file = Files.writeString(dir.resolve("queues.yaml"), """
                queues:
                  fine: {}
                  broken:
                    attributes:
                      RedrivePolicy: {deadLetterQueue: missing-dlq, maxReceiveCount: 3}
                """);
        Path dataDir = dir.resolve("data");

        var refused =
                SluiceProcess.runToEnd(SluiceServer.jar(), dataDir, List.of("-Dsluice.init-file=" + file), List.of());

        assertThat(refused.exitStatus()).isEqualTo(1);
        assertThat(refused.output().lines().filter(line -> !line.contains(" INFO ")))
                .containsExactly("Sluice cannot start: sluice.init-file " + file + ", line 3: queue broken (account"
                        + " 000000000000): Value {\"maxReceiveCount\":3,\"deadLetterTargetArn\":"
                        + "\"arn:aws:sqs:us-east-1:000000000000:missing-dlq\"} for parameter RedrivePolicy is invalid."
                        + " Reason: Dead letter target does not exist.");
        var server = SluiceProcess.start(
                SluiceServer.jar(), dataDir, SluiceProcess.freePort(), SluiceServer.logFile("InitFileStartupTest-bad"));
        try (var sqs = new SdkV2Port(server.endpoint())) {
            assertThat(sqs.listQueues(null, null, null).queueUrls())
                    .as("not even 'fine' was created")
                    .isEmpty();
        } finally {
            server.close();
        }
    }
}
