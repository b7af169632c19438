package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on the packaged server while clients are busy: parked long polls get a normal, empty answer at once (not at
 * the end of their 20-second wait), sends in flight (one of them half-sent when the stop begins) are answered and
 * durable, requests that come later are refused with a 503 before they do anything (never stored without an
 * answer), the process exits with status 0 well within
 * quarkus.shutdown.timeout (25 s), and a restart on the same data directory finds the queues, the message that was
 * received but not deleted (still in flight) and exactly the acknowledged sends.
 */
class GracefulShutdownTest {
    private static final int LONG_POLLS = 3;
    private static final int SENDERS = 4;

    @Test
    void sigtermAnswersLongPollsFinishesRequestsAndExitsZero() throws Exception {
        SluiceProcess server = SluiceServer.startToKill("GracefulShutdownTest");
        ExecutorService clients = Executors.newFixedThreadPool(LONG_POLLS + SENDERS);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<Throwable> serverErrors = new ArrayList<>();
        String inFlightId;
        String workUrl;
        try (var sqs = new SdkV2Port(server.endpoint())) {
            workUrl = sqs.createQueue("work", Map.of(), Map.of());
            String idleUrl = sqs.createQueue("idle", Map.of(), Map.of());
            sqs.sendMessage(workUrl, OutgoingMessage.of("unacknowledged"));
            inFlightId = sqs.receiveMessage(workUrl, ReceiveRequest.upTo(1).visibilityTimeout(600))
                    .getFirst()
                    .messageId();

            List<Future<List<ReceivedMessage>>> polls = new ArrayList<>();
            for (int i = 0; i < LONG_POLLS; i++) {
                Future<List<ReceivedMessage>> poll = clients.submit(() ->
                        sqs.receiveMessage(idleUrl, ReceiveRequest.upTo(10).waitTimeSeconds(20)));
                polls.add(poll);
            }
            AtomicBoolean stopping = new AtomicBoolean();
            List<Future<?>> senders = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                int sender = i;
                senders.add(clients.submit(() -> {
                    try (var own = new SdkV2Port(server.endpoint())) {
                        for (int n = 0; ; n++) {
                            String body = "sender " + sender + " message " + n;
                            try {
                                acknowledged.put(
                                        own.sendMessage(workUrl, OutgoingMessage.of(body))
                                                .messageId(),
                                        body);
                            } catch (SqsError e) {
                                if (!(stopping.get() && e.status() == 503)) {
                                    synchronized (serverErrors) {
                                        serverErrors.add(e);
                                    }
                                }
                                // 503 once the stop has begun: refused before it did anything.
                                return;
                            } catch (RuntimeException connectionGone) {
                                // Refused or closed once the server has stopped listening: the send was not taken.
                                assertThat(stopping)
                                        .as("a send failed before the stop: " + connectionGone)
                                        .isTrue();
                                return;
                            }
                        }
                    }
                }));
            }
            // Long enough for the polls to park and the senders to get going (requests take milliseconds).
            Thread.sleep(1500);
            // A send whose body is only half there when the stop begins: a request in flight the stop must finish.
            try (var slow = new HalfSentRequest(server.endpoint(), workUrl, "in flight across the stop")) {
                long stopStarted = System.nanoTime();
                stopping.set(true);
                server.signalTerm();

                for (Future<List<ReceivedMessage>> poll : polls) {
                    assertThat(poll.get(5, TimeUnit.SECONDS))
                            .as("a long poll ended by the stop is answered empty")
                            .isEmpty();
                }
                // The polls were answered after the refusal began, and the half-sent request holds the server open.
                assertThat(HalfSentRequest.statusOfNewRequest(server.endpoint()))
                        .as("a request that arrives after the stop began")
                        .isEqualTo(503);
                acknowledged.put(slow.finish(), "in flight across the stop");

                int exitStatus = server.exitStatusWithin(Duration.ofSeconds(40));
                Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);
                assertThat(exitStatus).as("exit status after SIGTERM").isZero();
                assertThat(stopTook)
                        .as("the stop does not wait out the 20 s polls")
                        .isLessThan(Duration.ofSeconds(10));
                System.out.printf(
                        "GracefulShutdownTest: SIGTERM to exit %d took %d ms with %d open long polls, %d senders"
                                + " and a half-sent request%n",
                        exitStatus, stopTook.toMillis(), LONG_POLLS, SENDERS);
            }
            for (Future<?> sender : senders) {
                sender.get(30, TimeUnit.SECONDS);
            }
            assertThat(serverErrors)
                    .as("no request got an error answer but the 503 of a refused one")
                    .isEmpty();
            assertThat(acknowledged)
                    .as("sends were acknowledged before the stop")
                    .hasSizeGreaterThan(1);
            assertThat(server.logText())
                    .contains("Sluice stopping: answered " + LONG_POLLS + " open long poll(s)")
                    .contains("Sluice store closed")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        } finally {
            clients.shutdownNow();
            server.close();
        }

        SluiceProcess restarted = server.restart(SluiceServer.logFile("GracefulShutdownTest-after-stop"));
        try (var sqs = new SdkV2Port(restarted.endpoint())) {
            assertThat(sqs.getQueueUrl("idle")).endsWith("/idle");
            assertThat(sqs.getQueueAttributes(workUrl, List.of("ApproximateNumberOfMessagesNotVisible")))
                    .as("the received, unacknowledged message is still in flight")
                    .containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
            Map<String, String> found = new java.util.HashMap<>();
            for (int attempt = 0; attempt < 1000 && found.size() < acknowledged.size(); attempt++) {
                List<ReceivedMessage> batch = sqs.receiveMessage(workUrl, ReceiveRequest.upTo(10));
                if (batch.isEmpty()) {
                    break;
                }
                batch.forEach(message -> found.put(message.messageId(), message.body()));
            }
            assertThat(found)
                    .as("every acknowledged send survived the stop, and no send was stored unacknowledged")
                    .isEqualTo(acknowledged);
            assertThat(found).doesNotContainKey(inFlightId);
        } finally {
            restarted.close();
        }
    }
}
