package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Sluice's durability promise, checked from the outside: whatever the server acknowledged before a SIGKILL is there
 * after a restart on the same data directory and port, and nothing it acknowledged as deleted comes back. The setup
 * (send, receive, delete, kill, restart) runs once; each test then checks one property, in order, because receiving
 * changes the state later checks look at. The last test has a server of its own, killed at random moments while the
 * journal checkpoints and compacts.
 *
 * <p>Runs only when the suite starts the jar itself: an endpoint given with -Dsluice.endpoint cannot be killed.
 * Requests go through SDK v2 (JSON); queue metadata is read back through both SDKs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartDurabilityTest {
    private static final int SENT = 20;
    private static final int RECEIVED = 5;
    private static final int DELETED = 3;
    private static final Map<String, String> QUEUE_ATTRIBUTES = Map.of(
            "VisibilityTimeout", "45",
            "DelaySeconds", "0",
            "MaximumMessageSize", "4096",
            "MessageRetentionPeriod", "86400",
            "ReceiveMessageWaitTimeSeconds", "2");
    private static final Map<String, String> TAGS = Map.of("team", "sluice", "purpose", "durability");

    private SluiceProcess server;
    private String queueName;
    private String queueUrl;
    private final Map<String, OutgoingMessage> sentById = new LinkedHashMap<>();
    private final Map<String, SentMessage> acknowledgements = new LinkedHashMap<>();
    private Set<String> deletedIds;
    private Map<String, String> inFlightHandles;

    @BeforeAll
    void writeKillAndRestart() {
        server = SluiceServer.startToKill("RestartDurabilityTest");

        try (var sqs = new SdkV2Port(server.endpoint())) {
            queueName = "durable-" + Long.toHexString(System.nanoTime());
            queueUrl = sqs.createQueue(queueName, QUEUE_ATTRIBUTES, TAGS);
            for (int i = 0; i < SENT; i++) {
                var message = OutgoingMessage.of("durable message " + i + " \u00e9\ud83d\ude00")
                        .withAttribute("index", MessageAttribute.number(String.valueOf(i)))
                        .withAttribute("label", MessageAttribute.string("message-" + i))
                        .withAttribute("raw", MessageAttribute.binary(new byte[] {(byte) i, 0, (byte) 0xff}));
                var sent = sqs.sendMessage(queueUrl, message);
                sentById.put(sent.messageId(), message);
                acknowledgements.put(sent.messageId(), sent);
            }

            var received = new ArrayList<ReceivedMessage>();
            for (int attempt = 0; attempt < 10 && received.size() < RECEIVED; attempt++) {
                received.addAll(sqs.receiveMessage(
                        queueUrl,
                        ReceiveRequest.upTo(RECEIVED - received.size())
                                .visibilityTimeout(300)
                                .waitTimeSeconds(0)));
            }
            assertThat(received).hasSize(RECEIVED);
            for (var message : received.subList(0, DELETED)) {
                sqs.deleteMessage(queueUrl, message.receiptHandle());
            }
            deletedIds = received.subList(0, DELETED).stream()
                    .map(ReceivedMessage::messageId)
                    .collect(Collectors.toSet());
            inFlightHandles = received.subList(DELETED, RECEIVED).stream()
                    .collect(Collectors.toMap(ReceivedMessage::messageId, ReceivedMessage::receiptHandle));
        }

        // No graceful shutdown: the acknowledgements above are all the server gets to rely on.
        server = SluiceServer.killAndRestart(server, "RestartDurabilityTest");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void queueAttributesAndTagsSurvive() {
        for (SqsPort sqs : List.of(new SdkV2Port(server.endpoint()), new SdkV1Port(server.endpoint()))) {
            try (sqs) {
                assertThat(sqs.getQueueUrl(queueName)).as(sqs.protocol()).isEqualTo(queueUrl);
                assertThat(sqs.getQueueAttributes(queueUrl, List.of("All")))
                        .as(sqs.protocol())
                        .containsAllEntriesOf(QUEUE_ATTRIBUTES);
                assertThat(sqs.listQueueTags(queueUrl)).as(sqs.protocol()).isEqualTo(TAGS);
            }
        }
    }

    @Test
    @Order(2)
    void messageCountsSurvive() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            assertThat(sqs.getQueueAttributes(queueUrl, SqsSuiteSupport.COUNTS))
                    .isEqualTo(Map.of(
                            "ApproximateNumberOfMessages", String.valueOf(SENT - RECEIVED),
                            "ApproximateNumberOfMessagesNotVisible", String.valueOf(RECEIVED - DELETED),
                            "ApproximateNumberOfMessagesDelayed", "0"));
        }
    }

    @Test
    @Order(3)
    void everyNeverReceivedMessageComesBackIntactAndNothingElse() {
        var neverReceived = new LinkedHashMap<>(sentById);
        neverReceived.keySet().removeAll(deletedIds);
        neverReceived.keySet().removeAll(inFlightHandles.keySet());

        try (var sqs = new SdkV2Port(server.endpoint())) {
            var request = ReceiveRequest.upTo(10)
                    .visibilityTimeout(300)
                    .waitTimeSeconds(0)
                    .attributeNames("All")
                    .messageAttributeNames("All");
            var received = new LinkedHashMap<String, ReceivedMessage>();
            for (int attempt = 0; attempt < 10 && received.size() < neverReceived.size(); attempt++) {
                for (var message : sqs.receiveMessage(queueUrl, request)) {
                    assertThat(received.put(message.messageId(), message))
                            .as("message %s received twice", message.messageId())
                            .isNull();
                }
            }
            assertThat(sqs.receiveMessage(queueUrl, request))
                    .as("messages beyond the expected ones")
                    .isEmpty();

            assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(neverReceived.keySet());
            assertThat(received.keySet()).doesNotContainAnyElementsOf(deletedIds);
            assertThat(received.keySet()).doesNotContainAnyElementsOf(inFlightHandles.keySet());
            received.forEach((id, message) -> {
                var sent = sentById.get(id);
                var acknowledged = acknowledgements.get(id);
                assertThat(message.body()).as(id).isEqualTo(sent.body());
                assertThat(message.messageAttributes()).as(id).isEqualTo(sent.attributes());
                assertThat(message.md5OfBody()).as(id).isEqualTo(acknowledged.md5OfMessageBody());
                assertThat(message.md5OfMessageAttributes()).as(id).isEqualTo(acknowledged.md5OfMessageAttributes());
                assertThat(message.approximateReceiveCount()).as(id).isEqualTo(1);
            });
        }
    }

    @Test
    @Order(4)
    void inFlightMessagesStayInvisibleUntilTheirTimeoutEnds() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            assertThat(sqs.receiveMessage(queueUrl, ReceiveRequest.upTo(10).waitTimeSeconds(0)))
                    .isEmpty();
            assertThat(sqs.getQueueAttributes(queueUrl, SqsSuiteSupport.COUNTS))
                    .containsEntry("ApproximateNumberOfMessages", "0")
                    .containsEntry("ApproximateNumberOfMessagesNotVisible", String.valueOf(SENT - DELETED));
        }
    }

    @Test
    @Order(5)
    void receiptHandlesIssuedBeforeTheKillStillWork() {
        // Not asked for by any SQS document in so many words, but a consumer that was mid-message when the server
        // restarted will delete or release it with the handle it holds; real SQS keeps handles valid.
        var entry = inFlightHandles.entrySet().iterator().next();
        try (var sqs = new SdkV2Port(server.endpoint())) {
            sqs.changeMessageVisibility(queueUrl, entry.getValue(), 0);

            var again = sqs.receiveMessage(
                    queueUrl, ReceiveRequest.upTo(10).waitTimeSeconds(0).attributeNames("All"));
            assertThat(again).extracting(ReceivedMessage::messageId).containsExactly(entry.getKey());
            assertThat(again.get(0).approximateReceiveCount()).isEqualTo(2);
            assertThat(again.get(0).body())
                    .isEqualTo(sentById.get(entry.getKey()).body());
        }
    }

    /**
     * The same promise while the journal writes checkpoints and compacts: the packaged server with tiny segments and
     * checkpoints (both then run all the time) takes batched sends and receive-and-delete from clients and is killed
     * with SIGKILL at a random moment, {@value #CRASHES} times on one data directory. Afterwards every message whose
     * send was acknowledged is there unless its delete was acknowledged, and no message whose delete was acknowledged
     * is back. The restarts must have started from checkpoints, and compaction must have deleted segments.
     */
    @Test
    @Order(6)
    @Timeout(value = 4, unit = TimeUnit.MINUTES) // six starts of the server, each 3-11 s on a busy 2-core machine
    void killedAtRandomMomentsWhileCheckpointingAndCompactingItLosesAndUndoesNothing() throws Exception {
        List<String> options = List.of(
                "-Dsluice.journal.segment-bytes=256K",
                "-Dsluice.journal.checkpoint-bytes=96K",
                "-Dsluice.request-log=false");
        long seed = System.nanoTime();
        var random = new java.util.Random(seed);
        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> deleted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // Deletes whose outcome the client never learned (the kill came first): either way is right.
        Set<String> uncertain = java.util.concurrent.ConcurrentHashMap.newKeySet();
        String name = "RestartDurabilityTest-crashes";
        SluiceProcess crashing = SluiceServer.startOwn(name + "-0", options);
        List<String> restartLogs = new ArrayList<>();
        String url;
        try {
            try (var sqs = new SdkV2Port(crashing.endpoint())) {
                url = sqs.createQueue("crashes-" + Long.toHexString(seed), Map.of("VisibilityTimeout", "2"), Map.of());
            }
            for (int crash = 1; crash <= CRASHES; crash++) {
                var stop = new java.util.concurrent.atomic.AtomicBoolean();
                URI endpoint = crashing.endpoint();
                // Two deleting consumers keep up with one sender: most of the journal is dead, so compaction runs.
                List<Thread> clients = List.of(
                        Thread.ofPlatform().start(() -> sendUntilStopped(endpoint, url, stop, acknowledged)),
                        Thread.ofPlatform().start(() -> deleteUntilStopped(endpoint, url, stop, deleted, uncertain)),
                        Thread.ofPlatform().start(() -> deleteUntilStopped(endpoint, url, stop, deleted, uncertain)));
                Thread.sleep(1000 + random.nextInt(3000)); // a random moment of the traffic
                crashing.killHard();
                stop.set(true);
                for (Thread client : clients) {
                    client.join(60_000);
                }
                crashing = crashing.restart(SluiceServer.logFile(name + "-" + crash), options);
                restartLogs.add(crashing.logText());
            }
            var present = new java.util.HashSet<String>();
            try (var sqs = new SdkV2Port(crashing.endpoint())) {
                var request = ReceiveRequest.upTo(10).visibilityTimeout(600).waitTimeSeconds(3);
                // In flight at a kill: visible again within the 2 s visibility timeout, so three empty waits of 3 s
                // mean nothing is left.
                for (int empty = 0; empty < 3; ) {
                    var received = sqs.receiveMessage(url, request);
                    empty = received.isEmpty() ? empty + 1 : 0;
                    received.forEach(message -> present.add(message.messageId()));
                }
            }
            var kept = new java.util.HashSet<>(acknowledged);
            kept.removeAll(deleted);
            kept.removeAll(uncertain);
            assertThat(acknowledged).as("seed %d", seed).hasSizeGreaterThan(1000);
            assertThat(deleted).as("seed %d", seed).isNotEmpty();
            assertThat(present).as("acknowledged messages lost (seed %d)", seed).containsAll(kept);
            assertThat(present).as("deleted messages back (seed %d)", seed).doesNotContainAnyElementsOf(deleted);
            assertThat(restartLogs).as("restarts from a checkpoint").anyMatch(log -> log.contains("from checkpoint"));
            assertThat(crashing.dataDir().resolve("0000000001.journal"))
                    .as("compaction deleted the first segment")
                    .doesNotExist();
        } finally {
            crashing.close();
        }
    }

    private static final int CRASHES = 4;

    private static void sendUntilStopped(
            URI endpoint, String url, java.util.concurrent.atomic.AtomicBoolean stop, Set<String> acknowledged) {
        try (var sqs = new SdkV2Port(endpoint)) {
            for (int batch = 0; !stop.get(); batch++) {
                var entries = new ArrayList<SendBatchEntry>();
                for (int i = 0; i < 10; i++) {
                    entries.add(new SendBatchEntry(
                            "e" + i, OutgoingMessage.of("crash test " + batch + "/" + i + " " + "x".repeat(600))));
                }
                sqs.sendMessageBatch(url, entries, null)
                        .successful()
                        .forEach(ok -> acknowledged.add(ok.sent().messageId()));
            }
        } catch (RuntimeException killed) {
            // The server is gone: what was acknowledged so far is recorded.
        }
    }

    private static void deleteUntilStopped(
            URI endpoint,
            String url,
            java.util.concurrent.atomic.AtomicBoolean stop,
            Set<String> deleted,
            Set<String> uncertain) {
        try (var sqs = new SdkV2Port(endpoint)) {
            while (!stop.get()) {
                var received = sqs.receiveMessage(url, ReceiveRequest.upTo(10).waitTimeSeconds(0));
                if (received.isEmpty()) {
                    continue;
                }
                var ids = new java.util.HashMap<String, String>();
                var entries = new ArrayList<DeleteEntry>();
                for (int i = 0; i < received.size(); i++) {
                    ids.put("d" + i, received.get(i).messageId());
                    entries.add(new DeleteEntry("d" + i, received.get(i).receiptHandle()));
                }
                uncertain.addAll(ids.values());
                BatchResult result = sqs.deleteMessageBatch(url, entries);
                result.successful().forEach(id -> {
                    deleted.add(ids.get(id));
                    uncertain.remove(ids.get(id));
                });
            }
        } catch (RuntimeException killed) {
            // The server is gone; deletes not acknowledged stay uncertain.
        }
    }
}
