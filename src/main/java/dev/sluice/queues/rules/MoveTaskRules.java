package dev.sluice.queues.rules;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.StartMoveTask;
import java.util.function.Predicate;

/**
 * The rules of message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask API reference):
 * which tasks may start, how fast they move, and what an unknown or finished task's handle is answered with.
 */
public final class MoveTaskRules {
    private MoveTaskRules() {}

    /**
     * A task moves out of a dead-letter queue ({@code isDeadLetterQueue}: some queue's RedrivePolicy names it) that
     * exists, to a destination that exists if one is named, at 1 to {@value SqsLimits#MAX_MOVE_RATE} messages a
     * second if a rate is given.
     */
    public static void validateStart(
            StartMoveTask task, Predicate<QueueKey> exists, Predicate<QueueKey> isDeadLetterQueue) {
        if (!exists.test(task.source())) {
            throw sourceNotFound();
        }
        if (!isDeadLetterQueue.test(task.source())) {
            throw QueueException.invalidParameter("Source queue must be configured as a Dead Letter Queue.");
        }
        // SQS: a task moves within its region; another region's queue does not exist in this one.
        if (task.destination() != null
                && (!task.destination().region().equals(task.source().region()) || !exists.test(task.destination()))) {
            throw destinationNotFound();
        }
        Integer rate = task.maxNumberOfMessagesPerSecond();
        if (rate != null && (rate < 1 || rate > SqsLimits.MAX_MOVE_RATE)) {
            throw QueueException.invalidParameter("Value " + rate
                    + " for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.");
        }
    }

    /** How many messages a task moves a second: its rate, or SQS's maximum when it set none. */
    public static int messagesPerSecond(Integer maxNumberOfMessagesPerSecond) {
        return maxNumberOfMessagesPerSecond == null ? SqsLimits.MAX_MOVE_RATE : maxNumberOfMessagesPerSecond;
    }

    /** SQS: one active task per source queue. */
    public static QueueException alreadyRunning() {
        return QueueException.invalidParameter("There is already a task running. Only one active task is allowed for"
                + " a source queue arn at a given time.");
    }

    public static QueueException notCancellable() {
        return QueueException.invalidParameter("Only active tasks can be cancelled.");
    }

    /** StartMessageMoveTask naming a destination queue that does not exist (in the source's region). */
    public static QueueException destinationNotFound() {
        return new QueueException(
                QueueError.RESOURCE_NOT_FOUND,
                "The resource that you specified for the DestinationArn parameter doesn't exist.");
    }

    /** ListMessageMoveTasks or StartMessageMoveTask naming a source queue that does not exist. */
    public static QueueException sourceNotFound() {
        return new QueueException(
                QueueError.RESOURCE_NOT_FOUND,
                "The resource that you specified for the SourceArn parameter doesn't exist.");
    }

    /**
     * A handle of no task, answered by what it names (recorded against AWS in LocalStack's test_sqs_move_task.py): a
     * malformed one is InvalidParameterValue, one of a source queue that does not exist names that queue, any other is
     * an unknown task.
     */
    public static QueueException unknownTask(String taskHandle, Predicate<QueueKey> exists) {
        MoveTaskHandle handle = MoveTaskHandle.parse(taskHandle)
                .orElseThrow(() -> QueueException.invalidParameter("Value for parameter TaskHandle is invalid."));
        QueueArn source = QueueArn.parse(handle.sourceArn());
        if (source == null || !exists.test(source.key())) {
            return sourceNotFound();
        }
        return new QueueException(QueueError.RESOURCE_NOT_FOUND, "Task does not exist.");
    }
}
