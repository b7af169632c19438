package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The test clock ({@code sluice.clock=manual}) through the AWS SDK for Java v2: time stands still until {@code POST
 * /admin/clock/advance} moves it, and then visibility timeouts, receive counts towards a dead-letter queue, long-poll
 * deadlines, delays, retention and the FIFO deduplication window all follow it, in milliseconds of real time. No admin
 * token is configured, so the clock needs none.
 */
class ManualClockTest {
    private static ManualClockServer server;
    private static URI endpoint;
    private static SqsClient sqs;
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        server = ManualClockServer.start(ManualClockTest.class);
        endpoint = server.endpoint;
        sqs = server.sqs;
        admin = server.admin;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode advance(String seconds) {
        return server.advance(seconds);
    }

    @Test
    void theClockStandsStillUntilAdvanced() {
        JsonNode before = admin.withToken(null, "GET", "/admin/clock", null).json();
        assertThat(before.get("mode").asText()).isEqualTo("manual");
        JsonNode after = advance("1.5");
        assertThat(Instant.parse(after.get("now").asText()))
                .isEqualTo(Instant.parse(before.get("now").asText()).plusMillis(1500));
        assertThat(admin.withToken(null, "POST", "/admin/clock/advance?seconds=-1", null)
                        .status())
                .isEqualTo(400);
        assertThat(admin.withToken(null, "POST", "/admin/clock/advance?seconds=soon", null)
                        .status())
                .isEqualTo(400);
        assertThat(admin.withToken(null, "GET", "/admin/tenants", null).status())
                .as("only the clock is open without a token")
                .isEqualTo(404);
    }

    @Test
    void aMessageReappearsAfterItsVisibilityTimeoutOnceTheClockHasPassedIt() {
        String url = sqs.createQueue(r -> r.queueName("clock-visibility")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("again"));
        assertThat(receive(url)).hasSize(1);
        assertThat(receive(url)).as("in flight for the queue's 30 s").isEmpty();

        advance("29");
        assertThat(receive(url)).as("29 s later").isEmpty();
        advance("1");
        assertThat(receive(url))
                .singleElement()
                .satisfies(message -> assertThat(
                                message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .isEqualTo("2"));
    }

    @Test
    void aMessageGoesToTheDeadLetterQueueAfterThreeReceives() {
        String redrive = Sdk.deadLetterQueue(sqs, "clock-dlq", 3);
        String dlq = sqs.getQueueUrl(r -> r.queueName("clock-dlq")).queueUrl();
        String url = sqs.createQueue(r -> r.queueName("clock-redriven")
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                redrive,
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "3600")))
                .queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("poison"));
        for (int i = 1; i <= 3; i++) {
            assertThat(receive(url)).as("receive " + i).hasSize(1);
            advance("3600");
        }
        advance(String.valueOf(12 * 3600));
        assertThat(receive(url)).as("the fourth receive moves it instead").isEmpty();
        assertThat(receive(dlq))
                .singleElement()
                .satisfies(message -> assertThat(message.body()).isEqualTo("poison"));
    }

    @Test
    void aLongPollEndsWhenItsDeadlinePassesOnTheManualClock() throws Exception {
        String url = sqs.createQueue(r -> r.queueName("clock-long-poll")).queueUrl();
        int timersBefore = admin.withToken(null, "GET", "/admin/clock", null)
                .json()
                .get("pendingTimers")
                .asInt();
        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(() ->
                sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20)).messages());
        awaitPendingTimers(timersBefore + 1);

        advance("19");
        assertThat(poll).as("19 s of its 20").isNotDone();
        advance("1");
        assertThat(poll.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aDelayedMessageAppearsWhenTheClockPassesItsDelay() {
        String url = sqs.createQueue(r -> r.queueName("clock-delay")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(600));
        assertThat(receive(url)).isEmpty();
        advance("599.999");
        assertThat(receive(url)).isEmpty();
        advance("0.001");
        assertThat(receive(url)).extracting(Message::body).containsExactly("later");
    }

    @Test
    void retentionAndTheDeduplicationWindowFollowTheClock() {
        String url = sqs.createQueue(r -> r.queueName("clock-retention")
                        .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "60")))
                .queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("short-lived"));
        advance("60");
        assertThat(receive(url)).as("past its 60 s of retention").isEmpty();

        String fifo = sqs.createQueue(
                        r -> r.queueName("clock-dedup.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                .queueUrl();
        String first = sendDeduplicated(fifo);
        advance("299");
        assertThat(sendDeduplicated(fifo)).as("within 5 minutes: a duplicate").isEqualTo(first);
        advance("1");
        assertThat(sendDeduplicated(fifo)).as("after 5 minutes: a new message").isNotEqualTo(first);
    }

    private static String sendDeduplicated(String url) {
        return sqs.sendMessage(r ->
                        r.queueUrl(url).messageBody("once").messageGroupId("g").messageDeduplicationId("same"))
                .messageId();
    }

    private static List<Message> receive(String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    /** The long poll is parked once its wake-up is scheduled on the manual clock. */
    private static void awaitPendingTimers(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (admin.withToken(null, "GET", "/admin/clock", null)
                            .json()
                            .get("pendingTimers")
                            .asInt()
                    >= atLeast) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the long poll never parked");
    }
}
