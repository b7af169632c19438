package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The FIFO and dead-letter state a SIGKILL must not lose, checked from the outside like {@link RestartDurabilityTest}:
 * deduplication ids (of a live and of a deleted message), a group blocked by its in-flight head, a message already
 * moved to a dead-letter queue, and a message move task that was mid-way (1 message per second over 5 messages) when
 * the server died, which must resume and finish with the right counts. Requests go through SDK v2 (JSON).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FifoRestartTest {
    private static final int TO_MOVE = 5;

    private SluiceProcess server;
    private final String run = Long.toHexString(System.nanoTime());
    private String fifoUrl;
    private SentMessage head;
    private SentMessage deletedEarlier;
    private String headReceiptHandle;
    private String second;
    private String otherGroup;

    private String redriveSource;
    private String redriveDlq;
    private String redriveDlqArn;
    private String deadId;

    private String taskSource;
    private String taskDlq;
    private String taskDlqArn;
    private List<String> taskIds;
    private long movedBeforeKill;

    @BeforeAll
    void writeKillAndRestart() {
        server = SluiceServer.startToKill("FifoRestartTest");

        try (var sqs = new SdkV2Port(server.endpoint())) {
            fifoUrl = sqs.createQueue("fifo-durable-" + run + ".fifo", Map.of("FifoQueue", "true"), Map.of());
            deletedEarlier = sqs.sendMessage(fifoUrl, OutgoingMessage.fifo("gone", "done-group", "dedup-deleted"));
            var gone = sqs.receiveMessage(fifoUrl, ReceiveRequest.upTo(1).visibilityTimeout(300));
            assertThat(gone).extracting(ReceivedMessage::body).containsExactly("gone");
            sqs.deleteMessage(fifoUrl, gone.get(0).receiptHandle());

            head = sqs.sendMessage(fifoUrl, OutgoingMessage.fifo("head", "G", "dedup-head"));
            second = sqs.sendMessage(fifoUrl, OutgoingMessage.fifo("second", "G", "dedup-second"))
                    .messageId();
            var inFlight = sqs.receiveMessage(fifoUrl, ReceiveRequest.upTo(1).visibilityTimeout(300));
            assertThat(inFlight).extracting(ReceivedMessage::messageId).containsExactly(head.messageId());
            headReceiptHandle = inFlight.get(0).receiptHandle();
            otherGroup = sqs.sendMessage(fifoUrl, OutgoingMessage.fifo("other", "H", "dedup-other"))
                    .messageId();

            redriveDlq = sqs.createQueue("dlq-durable-" + run, Map.of(), Map.of());
            redriveDlqArn = arn(sqs, redriveDlq);
            redriveSource = sqs.createQueue(
                    "src-durable-" + run,
                    Map.of("RedrivePolicy", FifoAndRedriveSuite.redrivePolicyFor(redriveDlqArn, 1)),
                    Map.of());
            deadId = sqs.sendMessage(redriveSource, OutgoingMessage.of("dead before the kill"))
                    .messageId();
            sqs.receiveMessage(redriveSource, ReceiveRequest.upTo(1).visibilityTimeout(0));
            assertThat(sqs.receiveMessage(redriveSource, ReceiveRequest.upTo(10)))
                    .isEmpty();
            assertThat(visible(sqs, redriveDlq)).isEqualTo(1);

            taskDlq = sqs.createQueue("taskdlq-durable-" + run, Map.of(), Map.of());
            taskDlqArn = arn(sqs, taskDlq);
            taskSource = sqs.createQueue(
                    "tasksrc-durable-" + run,
                    Map.of("RedrivePolicy", FifoAndRedriveSuite.redrivePolicyFor(taskDlqArn, 1)),
                    Map.of());
            taskIds = new ArrayList<>();
            for (int i = 0; i < TO_MOVE; i++) {
                taskIds.add(sqs.sendMessage(taskSource, OutgoingMessage.of("to move " + i))
                        .messageId());
            }
            int received = 0;
            for (int attempt = 0; attempt < 10 && received < TO_MOVE; attempt++) {
                received += sqs.receiveMessage(
                                taskSource, ReceiveRequest.upTo(10).visibilityTimeout(0))
                        .size();
            }
            assertThat(received).isEqualTo(TO_MOVE);
            assertThat(sqs.receiveMessage(taskSource, ReceiveRequest.upTo(10))).isEmpty();
            assertThat(visible(sqs, taskDlq)).isEqualTo(TO_MOVE);

            sqs.startMessageMoveTask(taskDlqArn, null, 1);
            // At 1 message per second, about two have moved when the server dies.
            SqsSuiteSupport.sleep(1_500);
            var tasks = sqs.listMessageMoveTasks(taskDlqArn, null);
            assertThat(tasks)
                    .singleElement()
                    .extracting(MessageMoveTask::status)
                    .isEqualTo("RUNNING");
            movedBeforeKill = tasks.get(0).approximateNumberOfMessagesMoved();
        }

        server = SluiceServer.killAndRestart(server, "FifoRestartTest");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void deduplicationIdsSurvive() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            var again = sqs.sendMessage(fifoUrl, OutgoingMessage.fifo("head", "G", "dedup-head"));
            assertThat(again.messageId()).isEqualTo(head.messageId());
            assertThat(again.sequenceNumber()).isEqualTo(head.sequenceNumber());

            var deletedAgain = sqs.sendMessage(fifoUrl, OutgoingMessage.fifo("gone", "done-group", "dedup-deleted"));
            assertThat(deletedAgain.messageId()).isEqualTo(deletedEarlier.messageId());
        }
    }

    @Test
    @Order(2)
    void theInFlightHeadStillBlocksItsGroup() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            var received = sqs.receiveMessage(fifoUrl, ReceiveRequest.upTo(10).visibilityTimeout(300));
            assertThat(received).extracting(ReceivedMessage::messageId).containsExactly(otherGroup);
            assertThat(sqs.receiveMessage(fifoUrl, ReceiveRequest.upTo(10))).isEmpty();

            // Released with the handle from before the kill, the head comes back before the rest of its group.
            sqs.changeMessageVisibility(fifoUrl, headReceiptHandle, 0);
            var again = sqs.receiveMessage(fifoUrl, ReceiveRequest.upTo(10).attributeNames("All"));
            assertThat(again).extracting(ReceivedMessage::messageId).containsExactly(head.messageId(), second);
            assertThat(again.get(0).attributes()).containsEntry("SequenceNumber", head.sequenceNumber());
            // Sent, then deleted-and-resent-as-duplicate: nothing of "done-group" is left.
            assertThat(again).extracting(ReceivedMessage::body).doesNotContain("gone");
        }
    }

    @Test
    @Order(3)
    void aMoveToTheDeadLetterQueueStaysDone() {
        try (var sqs = new SdkV2Port(server.endpoint())) {
            assertThat(sqs.receiveMessage(redriveSource, ReceiveRequest.upTo(10)))
                    .isEmpty();
            var dead = sqs.receiveMessage(redriveDlq, ReceiveRequest.upTo(10).attributeNames("All"));
            assertThat(dead).extracting(ReceivedMessage::messageId).containsExactly(deadId);
            assertThat(dead.get(0).body()).isEqualTo("dead before the kill");
            assertThat(dead.get(0).attributes()).containsEntry("DeadLetterQueueSourceArn", arn(sqs, redriveSource));
        }
    }

    @Test
    @Order(4)
    void aMoveTaskInterruptedByTheKillResumesAndCompletesWithTheRightCounts() {
        assertThat(movedBeforeKill).isLessThan(TO_MOVE);
        try (var sqs = new SdkV2Port(server.endpoint())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            MessageMoveTask task = null;
            while (System.nanoTime() < deadline) {
                task = sqs.listMessageMoveTasks(taskDlqArn, null).get(0);
                if (!task.status().equals("RUNNING")) {
                    break;
                }
                SqsSuiteSupport.sleep(250);
            }
            assertThat(task.status()).isEqualTo("COMPLETED");
            assertThat(task.approximateNumberOfMessagesMoved()).isEqualTo((long) TO_MOVE);
            assertThat(task.approximateNumberOfMessagesToMove()).isEqualTo((long) TO_MOVE);
            assertThat(task.maxNumberOfMessagesPerSecond()).isEqualTo(1);

            var back = new ArrayList<String>();
            for (int attempt = 0; attempt < 10 && back.size() < TO_MOVE; attempt++) {
                sqs.receiveMessage(taskSource, ReceiveRequest.upTo(10).visibilityTimeout(300))
                        .forEach(message -> back.add(message.messageId()));
            }
            assertThat(back).containsExactlyInAnyOrderElementsOf(taskIds);
            assertThat(sqs.receiveMessage(taskDlq, ReceiveRequest.upTo(10))).isEmpty();
        }
    }

    private static String arn(SqsPort sqs, String url) {
        return sqs.getQueueAttributes(url, List.of("QueueArn")).get("QueueArn");
    }

    private static int visible(SqsPort sqs, String url) {
        return Integer.parseInt(sqs.getQueueAttributes(url, List.of("ApproximateNumberOfMessages"))
                .get("ApproximateNumberOfMessages"));
    }
}
