package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The per-queue series of {@code /q/metrics} in the PostgreSQL mode: the packaged server on the test clock and a
 * database of its own, known traffic through the AWS SDK for Java v2, and the same series names and labels as the
 * journal mode ({@link MetricsTest}) with the values that traffic must give: the gauges read from the database at the
 * scrape, the counters this replica's own.
 */
class MetricsOnPostgresTest {
    private static ManualClockServer server;
    private static URI endpoint;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        server = ManualClockServer.start(
                MetricsOnPostgresTest.class,
                OnPostgres.serverJvmArgs(
                                PostgresCluster.shared(),
                                PostgresCluster.shared().createDatabase("metrics"))
                        .toArray(String[]::new));
        endpoint = server.endpoint;
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        Optional.ofNullable(server).ifPresent(ManualClockServer::close);
    }

    /** The three message gauges of the queue in {@code scrape}. */
    private static void assertGauges(PrometheusScrape scrape, int visible, int notVisible, int delayed) {
        assertThat(List.of("visible", "not_visible", "delayed").stream()
                        .map(gauge -> scrape.ofQueue("sluice_approximate_number_of_messages_" + gauge, "pg-counts"))
                        .toList())
                .containsExactly((double) visible, (double) notVisible, (double) delayed);
    }

    @Test
    void theSeriesFollowSendsReceivesDeletesAndTheClock() {
        String dlqUrl = sqs.createQueue(r -> r.queueName("pg-dlq")).queueUrl();
        String url = sqs.createQueue(r -> r.queueName("pg-counts")
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "30",
                                QueueAttributeName.REDRIVE_POLICY,
                                Sdk.redrivePolicy(sqs, dlqUrl, 5))))
                .queueUrl();
        List<String> bodies = List.of("one", "twenty-two", "three hundred and thirty-three");
        for (String body : bodies) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        }
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(60));
        List<Message> received =
                sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(2)).messages();
        assertThat(received).hasSize(2);
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(received.getFirst().receiptHandle()));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(dlqUrl)).messages()).isEmpty();
        server.advance("10");

        PrometheusScrape metrics = PrometheusScrape.of(endpoint);

        assertThat(metrics.value("sluice_queues", Map.of())).isEqualTo(2);
        assertGauges(metrics, 1, 1, 1);
        assertThat(metrics.ofQueue("sluice_approximate_age_of_oldest_message_seconds", "pg-counts"))
                .isEqualTo(10);
        assertThat(metrics.ofQueue("sluice_number_of_messages_sent_total", "pg-counts"))
                .isEqualTo(4);
        assertThat(metrics.ofQueue("sluice_number_of_messages_received_total", "pg-counts"))
                .isEqualTo(2);
        assertThat(metrics.ofQueue("sluice_number_of_messages_deleted_total", "pg-counts"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_number_of_empty_receives_total", "pg-dlq"))
                .isEqualTo(1);
        long bytes = bodies.stream()
                        .mapToLong(body -> body.getBytes(StandardCharsets.UTF_8).length)
                        .sum()
                + "later".length();
        assertThat(metrics.ofQueue("sluice_sent_message_size_bytes_sum", "pg-counts"))
                .isEqualTo(bytes);
        assertThat(metrics.ofQueue("sluice_dead_letter_queue", "pg-dlq")).isEqualTo(1);
        assertThat(metrics.find("sluice_dead_letter_queue", Map.of("queue", "pg-counts")))
                .isEmpty();
        assertThat(metrics.find("sluice_approximate_number_of_messages_visible", Map.of("queue", "pg-counts")))
                .singleElement()
                .satisfies(sample -> assertThat(sample.labels())
                        .containsEntry("region", "us-east-1")
                        .containsEntry("account", PrometheusScrape.DEFAULT_ACCOUNT));

        // Once the visibility timeout and the delay are over, the gauges follow without any request to the queue.
        server.advance("61");
        assertGauges(PrometheusScrape.of(endpoint), 3, 0, 0);
    }

    /**
     * A receive moves the messages already received maxReceiveCount times to the dead-letter queue (standard and FIFO);
     * the source queue's counter counts them. The case deletes its queues at the end, so the queue count of the other
     * case holds whichever runs first.
     */
    @Test
    void movesToTheDeadLetterQueueAreCounted() {
        String standardUrl = sqs.createQueue(r -> r.queueName("pg-moved")
                        .attributes(
                                Map.of(QueueAttributeName.REDRIVE_POLICY, Sdk.deadLetterQueue(sqs, "pg-moved-dlq", 2))))
                .queueUrl();
        String fifoDlqUrl = sqs.createQueue(
                        r -> r.queueName("pg-moved-dlq.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                .queueUrl();
        String fifoUrl = sqs.createQueue(r -> r.queueName("pg-moved.fifo")
                        .attributes(Map.of(
                                QueueAttributeName.FIFO_QUEUE,
                                "true",
                                QueueAttributeName.REDRIVE_POLICY,
                                Sdk.redrivePolicy(sqs, fifoDlqUrl, 2))))
                .queueUrl();
        List<String> urls = List.of(
                standardUrl,
                fifoUrl,
                fifoDlqUrl,
                sqs.getQueueUrl(r -> r.queueName("pg-moved-dlq")).queueUrl());
        try {
            for (String body : List.of("a", "b", "c")) {
                sqs.sendMessage(r -> r.queueUrl(standardUrl).messageBody(body));
            }
            sqs.sendMessage(r ->
                    r.queueUrl(fifoUrl).messageBody("f").messageGroupId("g").messageDeduplicationId("f"));
            for (int receive = 1; receive <= 2; receive++) {
                assertThat(receiveAgainAtOnce(standardUrl)).hasSize(3);
                assertThat(receiveAgainAtOnce(fifoUrl)).hasSize(1);
            }
            // Each received twice (maxReceiveCount 2): these receives move them instead.
            assertThat(receiveAgainAtOnce(standardUrl)).isEmpty();
            assertThat(receiveAgainAtOnce(fifoUrl)).isEmpty();

            PrometheusScrape metrics = PrometheusScrape.of(endpoint);

            assertThat(metrics.ofQueue("sluice_number_of_messages_dead_lettered_total", "pg-moved"))
                    .isEqualTo(3);
            assertThat(metrics.ofQueue("sluice_number_of_messages_dead_lettered_total", "pg-moved.fifo"))
                    .isEqualTo(1);
            assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_visible", "pg-moved-dlq"))
                    .isEqualTo(3);
            assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_visible", "pg-moved-dlq.fifo"))
                    .isEqualTo(1);
            assertThat(metrics.ofQueue("sluice_number_of_messages_dead_lettered_total", "pg-moved-dlq"))
                    .isEqualTo(0);
        } finally {
            urls.forEach(url -> sqs.deleteQueue(r -> r.queueUrl(url)));
        }
    }

    /** Up to ten messages, visible again at once (a visibility timeout of 0). */
    private static List<Message> receiveAgainAtOnce(String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages();
    }
}
