package dev.sluice.queues.contract;

import static dev.sluice.queues.contract.FifoFixture.CONTENT_BASED;
import static dev.sluice.queues.contract.FifoFixture.bodies;
import static dev.sluice.queues.contract.FifoFixture.grouped;
import static dev.sluice.queues.contract.QueuesFixture.arn;
import static dev.sluice.queues.contract.QueuesFixture.errorOf;
import static dev.sluice.queues.contract.QueuesFixture.failureOf;
import static dev.sluice.queues.contract.QueuesFixture.join;
import static dev.sluice.queues.contract.QueuesFixture.key;
import static dev.sluice.queues.contract.QueuesFixture.redrive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.MessageMoveTask;
import dev.sluice.queues.MoveTaskStatus;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.StartMoveTask;
import dev.sluice.queues.rules.MoveTaskHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask API reference): a task moves
 * a dead-letter queue's messages back to their source queues, or to a destination, at most MaxNumberOfMessagesPerSecond
 * a second. The engine moves one second's worth per scheduler tick, so advancing the fake clock one second runs one
 * tick; the first tick runs at the start instant ({@code advance(ZERO)}).
 */
@QueuesContract
class MessageMoveTaskTest extends QueuesCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final QueueKey dlq;
    private final QueueKey orders;
    private final QueueKey invoices;

    MessageMoveTaskTest(Backend backend) {
        super(backend);
        Backends.assumeBuilt(backend, Backends.MOVE_TASKS);
        this.dlq = sluice.createQueue("dlq");
        this.orders = sluice.createQueue("orders", redrive(dlq, 1));
        this.invoices = sluice.createQueue("invoices", redrive(dlq, 1));
    }

    /** Sends the bodies to the source and has them dead-lettered: received once, let go, moved by a receive. */
    private void deadLetter(QueueKey source, String... bodies) {
        for (String body : bodies) {
            sluice.send(source, body);
        }
        while (sluice.info(source).visible() > 0) {
            sluice.receive(source, 10, TIMEOUT);
        }
        sluice.clock.advance(TIMEOUT);
        while (sluice.info(source).visible() > 0) {
            assertThat(sluice.receive(source, 10, TIMEOUT)).isEmpty();
        }
    }

    private void deadLetterMany(QueueKey source, int count) {
        deadLetter(
                source,
                java.util.stream.IntStream.range(0, count)
                        .mapToObj(i -> "m" + i)
                        .toArray(String[]::new));
    }

    private String start(QueueKey destination, Integer maxPerSecond) {
        return join(sluice.queues.startMessageMoveTask(new StartMoveTask(
                dlq, arn(dlq), destination, destination == null ? null : arn(destination), maxPerSecond)));
    }

    private MessageMoveTask latest() {
        return join(sluice.queues.listMessageMoveTasks(dlq, 1)).getFirst();
    }

    private void tick() {
        sluice.clock.advance(Duration.ZERO);
    }

    // ---- starting

    @Test
    void sourceMustBeADeadLetterQueue() {
        QueueKey plain = sluice.createQueue("plain");

        assertThat(errorOf(() ->
                        sluice.queues.startMessageMoveTask(new StartMoveTask(plain, arn(plain), null, null, null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.startMessageMoveTask(
                        new StartMoveTask(orders, arn(orders), dlq, arn(dlq), null))))
                .as("a queue with a RedrivePolicy is a source, not a dead-letter queue")
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void sourceAndDestinationMustExist() {
        QueueKey missing = key("missing");

        assertThat(errorOf(() ->
                        sluice.queues.startMessageMoveTask(new StartMoveTask(missing, arn(missing), null, null, null))))
                .isEqualTo(QueueError.RESOURCE_NOT_FOUND);
        assertThat(errorOf(() -> sluice.queues.startMessageMoveTask(
                        new StartMoveTask(dlq, arn(dlq), missing, arn(missing), null))))
                .isEqualTo(QueueError.RESOURCE_NOT_FOUND);
        assertThat(join(sluice.queues.listMessageMoveTasks(dlq, 10))).isEmpty();
    }

    @Test
    void maxNumberOfMessagesPerSecondIs1To500() {
        for (int bad : new int[] {0, -1, 501}) {
            assertThat(errorOf(() ->
                            sluice.queues.startMessageMoveTask(new StartMoveTask(dlq, arn(dlq), null, null, bad))))
                    .as("MaxNumberOfMessagesPerSecond %d", bad)
                    .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        }

        start(null, 500);
        tick();
        start(null, 1);
        assertThat(latest().maxNumberOfMessagesPerSecond()).isEqualTo(1);
    }

    @Test
    void oneRunningTaskPerSource() {
        deadLetter(orders, "a", "b");
        start(null, 1);

        assertThat(errorOf(() -> sluice.queues.startMessageMoveTask(
                        new StartMoveTask(dlq, arn(dlq), orders, arn(orders), null))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);

        sluice.clock.advanceSeconds(1);
        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        start(null, null);
        assertThat(join(sluice.queues.listMessageMoveTasks(dlq, 10))).hasSize(2);
    }

    @Test
    void newTaskIsRunningWithItsParameters() {
        deadLetter(orders, "a", "b", "c");
        Duration sinceStart = Duration.ofMinutes(3);
        sluice.clock.advance(sinceStart);

        String handle = start(invoices, 2);

        MessageMoveTask task = latest();
        assertThat(task.taskHandle()).isEqualTo(handle);
        assertThat(task.status()).isEqualTo(MoveTaskStatus.RUNNING);
        assertThat(task.sourceArn()).isEqualTo(arn(dlq));
        assertThat(task.destinationArn()).isEqualTo(arn(invoices));
        assertThat(task.maxNumberOfMessagesPerSecond()).isEqualTo(2);
        assertThat(task.approximateNumberOfMessagesMoved()).isZero();
        assertThat(task.approximateNumberOfMessagesToMove()).isEqualTo(3);
        assertThat(task.failureReason()).isNull();
        assertThat(task.started()).isEqualTo(sluice.clock.instant());
    }

    @Test
    void withoutARateTheTaskReportsNone() {
        start(null, null);

        assertThat(latest().maxNumberOfMessagesPerSecond()).isNull();
        assertThat(latest().destinationArn()).isNull();
    }

    // ---- moving

    @Test
    void withoutDestinationMessagesGoBackToTheirSourceQueues() {
        Backends.assumeMoreThanAWindowAtOnce(backend);
        deadLetter(orders, "order-1", "order-2");
        deadLetter(invoices, "invoice-1");
        assertThat(sluice.counts(dlq)).containsExactly(3, 0, 0);

        start(null, null);
        tick();

        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(3);
        assertThat(sluice.counts(dlq)).containsExactly(0, 0, 0);
        List<ReceivedMessage> back = sluice.receive(orders, 10);
        assertThat(bodies(back)).containsExactly("order-1", "order-2");
        assertThat(back).allSatisfy(r -> assertThat(r.deadLetterSourceQueue()).isNull());
        assertThat(bodies(sluice.receive(invoices, 10))).containsExactly("invoice-1");
    }

    @Test
    void withDestinationEveryMessageGoesThere() {
        QueueKey destination = sluice.createQueue("retry");
        deadLetter(orders, "order-1");
        deadLetter(invoices, "invoice-1");

        start(destination, null);
        tick();

        assertThat(bodies(sluice.receive(destination, 10))).containsExactlyInAnyOrder("order-1", "invoice-1");
        assertThat(sluice.counts(orders)).containsExactly(0, 0, 0);
        assertThat(sluice.counts(invoices)).containsExactly(0, 0, 0);
    }

    @Test
    void movedMessagesKeepTheirIdsBodiesAndSentTimestamps() {
        String id = sluice.send(orders, "payload");
        long sentMillis = sluice.clock.millis();
        sluice.receive(orders, 1, TIMEOUT);
        sluice.clock.advance(TIMEOUT);
        sluice.receive(orders, 1, TIMEOUT);

        start(null, null);
        tick();

        ReceivedMessage back = sluice.receiveOne(orders);
        assertThat(back.messageId()).isEqualTo(id);
        assertThat(back.body()).isEqualTo("payload");
        assertThat(back.sentTimestamp().toEpochMilli()).isEqualTo(sentMillis);
    }

    @Test
    void rateLimitsHowManyMovePerSecond() {
        Backends.assumeMoreThanAWindowAtOnce(backend);
        deadLetterMany(orders, 25);

        start(null, 10);
        tick();
        assertThat(sluice.counts(orders)).as("first second").containsExactly(10, 0, 0);
        assertThat(latest().status()).isEqualTo(MoveTaskStatus.RUNNING);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(10);
        assertThat(latest().approximateNumberOfMessagesToMove()).isEqualTo(25);

        sluice.clock.advance(Duration.ofSeconds(1).minusMillis(1));
        assertThat(latest().approximateNumberOfMessagesMoved())
                .as("not before the next second")
                .isEqualTo(10);
        sluice.clock.advance(Duration.ofMillis(1));
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(20);
        assertThat(sluice.counts(dlq)).containsExactly(5, 0, 0);

        sluice.clock.advanceSeconds(1);
        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(25);
        assertThat(sluice.counts(orders)).containsExactly(25, 0, 0);
        assertThat(sluice.counts(dlq)).containsExactly(0, 0, 0);
        assertThat(sluice.clock.pendingTasks())
                .as("a completed task schedules nothing")
                .isZero();
    }

    @Test
    void movesTheOldestMessagesFirst() {
        deadLetter(orders, "first", "second", "third");

        start(null, 1);
        tick();

        assertThat(bodies(sluice.receive(orders, 10, TIMEOUT))).containsExactly("first");
        sluice.clock.advanceSeconds(1);
        assertThat(bodies(sluice.receive(orders, 10, TIMEOUT))).containsExactly("second");
    }

    @Test
    void messagesArrivingAfterTheStartAreNotPartOfTheTask() {
        deadLetter(orders, "a", "b", "c");
        start(null, null);
        deadLetter(invoices, "late-1", "late-2");

        tick();

        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(3);
        assertThat(latest().approximateNumberOfMessagesToMove()).isEqualTo(3);
        assertThat(sluice.counts(dlq)).containsExactly(2, 0, 0);
    }

    @Test
    void inFlightMessagesAreNotMovedAndTheTaskStillCompletes() {
        deadLetter(orders, "a", "b", "c");
        sluice.receive(dlq, 1, Duration.ofHours(1));

        start(null, null);
        tick();
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(2);
        sluice.clock.advanceSeconds(1);

        // Sluice's choice: counted at the start, skipped while in flight; the task ends when nothing is left to take.
        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(2);
        assertThat(latest().approximateNumberOfMessagesToMove()).isEqualTo(3);
        assertThat(sluice.counts(dlq)).containsExactly(0, 1, 0);
    }

    @Test
    void emptyDeadLetterQueueCompletesAtOnce() {
        start(null, null);
        tick();

        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isZero();
        assertThat(latest().approximateNumberOfMessagesToMove()).isZero();
    }

    @Test
    void messageWithoutASourceQueueFailsTheTaskAndStays() {
        sluice.send(dlq, "sent to the dead-letter queue directly");

        start(null, null);
        tick();

        assertThat(latest().status()).isEqualTo(MoveTaskStatus.FAILED);
        assertThat(latest().failureReason()).isNotBlank();
        assertThat(bodies(sluice.receive(dlq, 10))).containsExactly("sent to the dead-letter queue directly");
    }

    @Test
    void deletedSourceQueueFailsTheTask() {
        deadLetterMany(orders, 3);
        start(null, 1);
        tick();
        join(sluice.queues.deleteQueue(orders));

        sluice.clock.advanceSeconds(1);

        assertThat(latest().status()).isEqualTo(MoveTaskStatus.FAILED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(1);
        assertThat(sluice.counts(dlq))
                .as("the message stays in the dead-letter queue")
                .containsExactly(2, 0, 0);
    }

    @Test
    void fifoMessagesGoBackToTheirFifoSourceInGroupOrder() {
        QueueKey fifoDlq = sluice.createQueue("dlq.fifo", CONTENT_BASED);
        Map<String, String> attributes = new HashMap<>(CONTENT_BASED);
        attributes.putAll(redrive(fifoDlq, 1));
        QueueKey fifo = sluice.createQueue("orders.fifo", attributes);
        sluice.send(fifo, grouped("a1", "a"));
        sluice.send(fifo, grouped("a2", "a"));
        sluice.receive(fifo, 10, TIMEOUT);
        sluice.clock.advance(TIMEOUT);
        sluice.receive(fifo, 10, TIMEOUT);
        assertThat(sluice.counts(fifoDlq)).containsExactly(2, 0, 0);

        join(sluice.queues.startMessageMoveTask(new StartMoveTask(fifoDlq, arn(fifoDlq), null, null, null)));
        tick();

        List<ReceivedMessage> back = sluice.receive(fifo, 10);
        assertThat(bodies(back)).containsExactly("a1", "a2");
        assertThat(back).allSatisfy(r -> assertThat(r.messageGroupId()).isEqualTo("a"));
    }

    // ---- cancelling

    @Test
    void cancelStopsTheTaskAndKeepsWhatMoved() {
        deadLetterMany(orders, 5);
        String handle = start(null, 2);
        tick();

        long moved = join(sluice.queues.cancelMessageMoveTask(handle));
        sluice.clock.advanceSeconds(5);

        assertThat(moved).isEqualTo(2);
        assertThat(latest().status()).isEqualTo(MoveTaskStatus.CANCELLED);
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(2);
        assertThat(sluice.counts(orders)).as("moved messages stay moved").containsExactly(2, 0, 0);
        assertThat(sluice.counts(dlq)).containsExactly(3, 0, 0);
    }

    @Test
    void cancelledTaskFreesTheSourceForANewOne() {
        Backends.assumeMoreThanAWindowAtOnce(backend);
        deadLetterMany(orders, 5);
        String handle = start(null, 1);
        join(sluice.queues.cancelMessageMoveTask(handle));

        start(null, null);
        tick();

        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(sluice.counts(orders)).containsExactly(5, 0, 0);
    }

    @Test
    void cancelWorksOnlyWhileRunning() {
        deadLetter(orders, "a");
        String completed = start(null, null);
        tick();
        assertThat(latest().status()).isEqualTo(MoveTaskStatus.COMPLETED);
        deadLetter(orders, "b", "c");
        String cancelled = start(null, 1);
        join(sluice.queues.cancelMessageMoveTask(cancelled));

        assertThat(errorOf(() -> sluice.queues.cancelMessageMoveTask(completed)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> sluice.queues.cancelMessageMoveTask(cancelled)))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void handleIsBase64OfTheTaskIdAndSourceArnAsJson() {
        String handle = start(null, null);

        String decoded = new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8);
        assertThat(decoded).matches("\\{\"taskId\":\"[^\"]+\",\"sourceArn\":\"" + arn(dlq) + "\"}");
    }

    @Test
    void cancelOfAMalformedHandleIsInvalidParameterValue() {
        assertThat(failureOf(() -> sluice.queues.cancelMessageMoveTask("foobared")))
                .hasMessage("Value for parameter TaskHandle is invalid.")
                .extracting(QueueException::error)
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void cancelOfAWellFormedHandleOfAMissingQueueOrTaskIsResourceNotFound() {
        String missingQueue = new MoveTaskHandle("10f57157-fc38-4da9-a113-4de7e12d05aa", arn(key("nowhere"))).encode();
        String missingTask = new MoveTaskHandle("10f57157-fc38-4da9-a113-4de7e12d05aa", arn(dlq)).encode();

        assertThat(failureOf(() -> sluice.queues.cancelMessageMoveTask(missingQueue)))
                .hasMessage("The resource that you specified for the SourceArn parameter doesn't exist.");
        assertThat(failureOf(() -> sluice.queues.cancelMessageMoveTask(missingTask)))
                .hasMessage("Task does not exist.")
                .extracting(QueueException::error)
                .isEqualTo(QueueError.RESOURCE_NOT_FOUND);
    }

    // ---- listing

    @Test
    void listIsNewestFirstAndLimitedToMaxResults() {
        String first = start(null, null);
        tick();
        sluice.clock.advanceSeconds(10);
        String second = start(null, null);
        tick();
        sluice.clock.advanceSeconds(10);
        String third = start(null, 1);

        assertThat(join(sluice.queues.listMessageMoveTasks(dlq, 10)))
                .extracting(MessageMoveTask::taskHandle)
                .containsExactly(third, second, first);
        assertThat(join(sluice.queues.listMessageMoveTasks(dlq, 2)))
                .extracting(MessageMoveTask::taskHandle)
                .containsExactly(third, second);
        assertThat(join(sluice.queues.listMessageMoveTasks(dlq, 1)))
                .extracting(MessageMoveTask::status)
                .containsExactly(MoveTaskStatus.RUNNING);
    }

    @Test
    void listShowsOnlyTheSourcesTasks() {
        QueueKey otherDlq = sluice.createQueue("other-dlq");
        sluice.createQueue("other-source", redrive(otherDlq, 1));
        start(null, null);
        String other =
                join(sluice.queues.startMessageMoveTask(new StartMoveTask(otherDlq, arn(otherDlq), null, null, null)));

        assertThat(join(sluice.queues.listMessageMoveTasks(otherDlq, 10)))
                .extracting(MessageMoveTask::taskHandle)
                .containsExactly(other);
        assertThat(join(sluice.queues.listMessageMoveTasks(orders, 10))).isEmpty();
        assertThat(errorOf(() -> sluice.queues.listMessageMoveTasks(key("missing"), 10)))
                .isEqualTo(QueueError.RESOURCE_NOT_FOUND);
    }

    @Test
    void taskHandlesAreDistinct() {
        String first = start(null, null);
        tick();
        String second = start(null, null);

        assertThat(first).isNotEqualTo(second);
    }

    // ---- across restarts

    @Test
    void runningTaskResumesAfterARestart() {
        Backends.assumeMoreThanAWindowAtOnce(backend);
        deadLetterMany(orders, 25);
        String handle = start(null, 10);
        tick();
        assertThat(latest().approximateNumberOfMessagesMoved()).isEqualTo(10);

        QueuesFixture after = sluice.restart();
        MessageMoveTask resumed =
                join(after.queues.listMessageMoveTasks(dlq, 1)).getFirst();
        assertThat(resumed.taskHandle()).isEqualTo(handle);
        assertThat(resumed.status()).isEqualTo(MoveTaskStatus.RUNNING);
        assertThat(resumed.approximateNumberOfMessagesMoved()).isEqualTo(10);

        after.clock.advance(Duration.ZERO);
        assertThat(join(after.queues.listMessageMoveTasks(dlq, 1)).getFirst().approximateNumberOfMessagesMoved())
                .isEqualTo(20);
        after.clock.advanceSeconds(1);

        MessageMoveTask done = join(after.queues.listMessageMoveTasks(dlq, 1)).getFirst();
        assertThat(done.status()).isEqualTo(MoveTaskStatus.COMPLETED);
        assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(25);
        assertThat(after.counts(orders)).containsExactly(25, 0, 0);
        assertThat(after.counts(dlq)).containsExactly(0, 0, 0);
    }

    @Test
    void finishedTasksAreStillListedAfterARestart() {
        deadLetter(orders, "a");
        String completed = start(null, null);
        tick();
        sluice.clock.advanceSeconds(1);
        deadLetter(invoices, "b");
        String cancelled = start(null, 1);
        join(sluice.queues.cancelMessageMoveTask(cancelled));

        QueuesFixture after = sluice.restart();
        after.clock.advanceSeconds(5);

        assertThat(join(after.queues.listMessageMoveTasks(dlq, 10)))
                .extracting(MessageMoveTask::taskHandle, MessageMoveTask::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(cancelled, MoveTaskStatus.CANCELLED),
                        org.assertj.core.groups.Tuple.tuple(completed, MoveTaskStatus.COMPLETED));
        assertThat(after.counts(dlq)).as("the cancelled task stays cancelled").containsExactly(1, 0, 0);
    }
}
