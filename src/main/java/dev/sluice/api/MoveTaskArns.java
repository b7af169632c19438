package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.MoveTaskHandle;
import dev.sluice.queues.rules.QueueArn;
import java.util.Optional;

/** The queue an ARN parameter of the move-task actions names; a malformed one is InvalidParameterValue. */
final class MoveTaskArns {
    private MoveTaskArns() {}

    static QueueKey queueOf(String parameter, String arn) {
        QueueArn parsed = QueueArn.parse(arn);
        if (parsed == null) {
            throw AwsErrors.invalidParameter("Value " + arn + " for parameter " + parameter + " is invalid.");
        }
        return parsed.key();
    }

    /**
     * The source queue a task handle names ({@link MoveTaskHandle}). Empty for a malformed handle, which the engine
     * then reports as InvalidParameterValue.
     */
    static Optional<QueueKey> sourceOfHandle(String taskHandle) {
        return MoveTaskHandle.parse(taskHandle)
                .map(handle -> QueueArn.parse(handle.sourceArn()))
                .map(QueueArn::key);
    }
}
