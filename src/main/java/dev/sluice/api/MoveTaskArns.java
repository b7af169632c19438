package dev.sluice.api;

import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.MoveTaskHandle;
import dev.sluice.queues.rules.MoveTaskRules;
import dev.sluice.queues.rules.QueueArn;
import java.util.Optional;

/**
 * The queue an ARN parameter of the move-task actions names; a malformed one is InvalidParameterValue, one of another
 * region than the request's names no queue there (ResourceNotFoundException, as for a queue that does not exist).
 */
final class MoveTaskArns {
    private MoveTaskArns() {}

    static QueueKey sourceOf(Caller caller, String arn) {
        QueueKey source = queueOf("SourceArn", arn);
        if (!caller.reaches(source)) {
            throw MoveTaskRules.sourceNotFound();
        }
        return source;
    }

    static QueueKey destinationOf(Caller caller, String arn) {
        QueueKey destination = queueOf("DestinationArn", arn);
        if (!caller.reaches(destination)) {
            throw MoveTaskRules.destinationNotFound();
        }
        return destination;
    }

    private static QueueKey queueOf(String parameter, String arn) {
        QueueArn parsed = QueueArn.parse(arn);
        if (parsed == null) {
            throw AwsErrors.invalidParameter("Value " + arn + " for parameter " + parameter + " is invalid.");
        }
        return parsed.key();
    }

    /**
     * The source queue a task handle names ({@link MoveTaskHandle}). Empty for a malformed handle, which the engine
     * then reports as InvalidParameterValue; a handle of another region's task names no task there.
     */
    static Optional<QueueKey> sourceOfHandle(Caller caller, String taskHandle) {
        Optional<QueueKey> source = MoveTaskHandle.parse(taskHandle)
                .map(handle -> QueueArn.parse(handle.sourceArn()))
                .map(QueueArn::key);
        if (source.isPresent() && !caller.reaches(source.get())) {
            throw MoveTaskRules.sourceNotFound();
        }
        return source;
    }
}
